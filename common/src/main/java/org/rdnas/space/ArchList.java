package org.rdnas.space;

import java.io.BufferedReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * A list of arch strings, one a line (blank lines and {@code #} comments skipped), read against a
 * search space: the distinct archs in first-seen order, every malformed or out-of-space line with its
 * line number, and how many duplicate lines collapsed.
 */
public record ArchList(List<Arch> archs, List<String> problems, int duplicates) {
  public ArchList {
    archs = List.copyOf(archs);
    problems = List.copyOf(problems);
  }

  /** Reads every line of {@code r}; never stops at the first problem, so all can be reported. */
  public static ArchList read(BufferedReader r, Nb201Space space) throws IOException {
    Set<Arch> archs = new LinkedHashSet<>();
    List<String> problems = new ArrayList<>();
    int duplicates = 0;
    String line;
    int lineNo = 0;
    while ((line = r.readLine()) != null) {
      lineNo++;
      String s = line.strip();
      if (s.isEmpty() || s.startsWith("#")) {
        continue;
      }
      Arch a;
      try {
        a = Arch.parse(s);
      } catch (IllegalArgumentException e) {
        problems.add("line " + lineNo + ": " + e.getMessage());
        continue;
      }
      if (!space.contains(a)) {
        problems.add("line " + lineNo + ": arch " + a + " is not in search space " + space);
        continue;
      }
      if (!archs.add(a)) {
        duplicates++;
      }
    }
    return new ArchList(new ArrayList<>(archs), problems, duplicates);
  }
}
