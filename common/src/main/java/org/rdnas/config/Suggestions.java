package org.rdnas.config;

import java.util.List;

/** "Did you mean" for unknown keys: a close sibling, the same name elsewhere, or a close path. */
final class Suggestions {
  private Suggestions() {}

  static String closest(String unknown, List<String> known) {
    String parent = parent(unknown);
    String name = last(unknown);
    String best = null;
    int bestDistance = Math.max(1, name.length() / 3) + 1;
    for (String k : known) {
      if (parent(k).equals(parent)) {
        int d = distance(name, last(k));
        if (d < bestDistance) {
          best = k;
          bestDistance = d;
        }
      }
    }
    if (best != null) {
      return best;
    }
    for (String k : known) {
      if (last(k).equals(name)) {
        return k; // right name, wrong section: rdnas.train.threshold -> rdnas.distill.threshold
      }
    }
    bestDistance = 4;
    for (String k : known) {
      int d = distance(unknown, k);
      if (d < bestDistance) {
        best = k;
        bestDistance = d;
      }
    }
    return best;
  }

  private static String parent(String path) {
    int dot = path.lastIndexOf('.');
    return dot < 0 ? "" : path.substring(0, dot);
  }

  private static String last(String path) {
    return path.substring(path.lastIndexOf('.') + 1);
  }

  /** Levenshtein distance. */
  static int distance(String a, String b) {
    int[] prev = new int[b.length() + 1];
    int[] cur = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      prev[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      cur[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
      }
      int[] t = prev;
      prev = cur;
      cur = t;
    }
    return prev[b.length()];
  }
}
