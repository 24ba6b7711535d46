package org.rdnas.rank;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.ToDoubleBiFunction;
import org.rdnas.util.Seeds;

/**
 * Percentile bootstrap confidence intervals of a paired statistic (e.g. Kendall's tau-b between
 * supernet and ground-truth scores): resample the pairs with replacement, recompute, take the
 * empirical quantiles. Resample r draws from {@code Seeds.mix(seed, r, tag)}, so an interval is the
 * same on every machine and any resample can be recomputed alone.
 */
public final class Bootstrap {
  private static final long TAG = Seeds.hash("rdnas.rank.bootstrap");

  private Bootstrap() {}

  /**
   * An estimate and its confidence interval.
   *
   * @param estimate the statistic on the full sample
   * @param lower the lower percentile bound; NaN when no resample gave a finite value
   * @param upper the upper percentile bound; NaN likewise
   * @param level the confidence level, e.g. 0.95
   * @param resamples resamples drawn
   * @param valid resamples whose statistic was finite (a resample can make a side constant)
   */
  public record Interval(double estimate, double lower, double upper, double level, int resamples,
      int valid) {}

  /** Kendall tau-b of the complete pairs with a 95% percentile interval from {@code resamples}. */
  public static Interval kendallTauB(double[] x, double[] y, int resamples, long seed) {
    return interval(x, y, Correlation::kendallTauB, resamples, 0.95, seed);
  }

  /**
   * {@code statistic(x, y)} on the complete pairs and its percentile interval at {@code level} from
   * {@code resamples} resamples of the pairs (0 resamples: NaN bounds). Quantiles interpolate linearly
   * between order statistics (numpy's default).
   */
  public static Interval interval(double[] x, double[] y, ToDoubleBiFunction<double[], double[]> statistic,
      int resamples, double level, long seed) {
    if (resamples < 0) {
      throw new IllegalArgumentException("bootstrap resamples must be >= 0, got " + resamples);
    }
    if (!(level > 0 && level < 1)) {
      throw new IllegalArgumentException("confidence level must be in (0, 1), got " + level);
    }
    double[][] p = Correlation.complete(x, y);
    double[] a = p[0];
    double[] b = p[1];
    int n = a.length;
    double estimate = statistic.applyAsDouble(a, b);
    double[] stats = new double[resamples];
    int valid = 0;
    double[] ra = new double[n];
    double[] rb = new double[n];
    for (int r = 0; r < resamples && n > 0; r++) {
      SplittableRandom rng = new SplittableRandom(Seeds.mix(seed, r, TAG));
      for (int i = 0; i < n; i++) {
        int j = rng.nextInt(n);
        ra[i] = a[j];
        rb[i] = b[j];
      }
      double s = statistic.applyAsDouble(ra, rb);
      if (Double.isFinite(s)) {
        stats[valid++] = s;
      }
    }
    if (valid == 0) {
      return new Interval(estimate, Double.NaN, Double.NaN, level, resamples, 0);
    }
    double[] sorted = Arrays.copyOf(stats, valid);
    Arrays.sort(sorted);
    double alpha = (1 - level) / 2;
    return new Interval(estimate, quantile(sorted, alpha), quantile(sorted, 1 - alpha), level,
        resamples, valid);
  }

  /** The q-quantile of sorted values, linear between order statistics. */
  static double quantile(double[] sorted, double q) {
    double pos = q * (sorted.length - 1);
    int lo = (int) Math.floor(pos);
    int hi = Math.min(lo + 1, sorted.length - 1);
    return sorted[lo] + (pos - lo) * (sorted[hi] - sorted[lo]);
  }
}
