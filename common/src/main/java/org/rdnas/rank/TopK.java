package org.rdnas.rank;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * How well a predicted ranking finds the truly best items: precision at k and the best and worst true
 * rank among the predicted top k. Higher is better on both sides. Pairs where either value is NaN are
 * dropped first; ties in the predicted order are broken by position (the first item wins), so results
 * are deterministic.
 */
public final class TopK {
  private TopK() {}

  /**
   * |predicted top-k ∩ true top-k| / k. Ties at the true top-k boundary count in the true top-k's
   * favour: an item is in it when fewer than k items are strictly better, so tied items are not
   * arbitrarily excluded.
   */
  public static double precisionAtK(double[] predicted, double[] truth, int k) {
    double[][] p = Correlation.complete(predicted, truth);
    checkK(k, p[0].length);
    int hits = 0;
    for (int i : topIndices(p[0], k)) {
      if (trueRank(p[1], i) <= k) {
        hits++;
      }
    }
    return (double) hits / k;
  }

  /**
   * {best, worst} true rank (1 = the best item) among the k items ranked highest by
   * {@code predicted}. An item's true rank is 1 + the number of items strictly better in truth, so
   * tied items share the better rank.
   */
  public static int[] trueRankRangeOfTopK(double[] predicted, double[] truth, int k) {
    double[][] p = Correlation.complete(predicted, truth);
    checkK(k, p[0].length);
    int best = Integer.MAX_VALUE;
    int worst = Integer.MIN_VALUE;
    for (int i : topIndices(p[0], k)) {
      int r = trueRank(p[1], i);
      best = Math.min(best, r);
      worst = Math.max(worst, r);
    }
    return new int[] {best, worst};
  }

  /** Positions of the k largest values, largest first, earlier position first among ties. */
  static int[] topIndices(double[] v, int k) {
    Integer[] order = IntStream.range(0, v.length).boxed().toArray(Integer[]::new);
    // Arrays.sort on objects is stable, so equal values keep their input order.
    Arrays.sort(order, Comparator.comparingDouble((Integer i) -> v[i]).reversed());
    int[] out = new int[k];
    for (int j = 0; j < k; j++) {
      out[j] = order[j];
    }
    return out;
  }

  private static int trueRank(double[] truth, int i) {
    int better = 0;
    for (double t : truth) {
      if (t > truth[i]) {
        better++;
      }
    }
    return better + 1;
  }

  private static void checkK(int k, int n) {
    if (k < 1 || k > n) {
      throw new IllegalArgumentException(
          "top-k needs 1 <= k <= " + n + " (complete pairs), got k = " + k);
    }
  }
}
