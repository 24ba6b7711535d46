package org.rdnas.rank;

import org.rdnas.benchmark.Nb201Table;
import org.rdnas.space.Nb201Space;

/**
 * Where an accuracy stands among every architecture of a space by the ground truth: its rank
 * (1 = the best) and the share of the space it is at least as good as (its percentile).
 */
public final class TrueRanks {
  private final double[] sorted;

  private TrueRanks(double[] sorted) {
    this.sorted = sorted;
  }

  /** The ground truth's {@code column} over every arch of {@code space} that it has. */
  public static TrueRanks of(Nb201Table truth, String column, Nb201Space space) {
    return new TrueRanks(space.stream().mapToDouble(a -> truth.value(column, a))
        .filter(Double::isFinite).sorted().toArray());
  }

  /** The rank of {@code accuracy}: one plus the archs strictly better. */
  public int rank(double accuracy) {
    return sorted.length - atMost(accuracy) + 1;
  }

  /** The percentage of the space's archs whose accuracy is at most {@code accuracy}. */
  public double percentile(double accuracy) {
    return 100.0 * atMost(accuracy) / sorted.length;
  }


  /** How many of the space's accuracies are at most {@code x} (an upper-bound search). */
  private int atMost(double x) {
    int lo = 0;
    int hi = sorted.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (sorted[mid] <= x) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }
}
