package org.rdnas.experiment;

import java.util.Arrays;

/**
 * Mean and two-sided 95% confidence interval of a few per-seed values, by Student's t with n - 1
 * degrees of freedom: with three seeds the interval is wide (t = 4.30), and it should be.
 *
 * @param n values (seeds)
 * @param mean their mean
 * @param sd their sample standard deviation (NaN for one value)
 * @param lower lower end of the 95% interval (NaN for one value)
 * @param upper upper end of the 95% interval (NaN for one value)
 */
public record SeedStats(int n, double mean, double sd, double lower, double upper) {
  // t(0.975, df) for df = 1..30; beyond that the normal quantile is close enough.
  private static final double[] T975 = {12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306,
      2.262, 2.228, 2.201, 2.179, 2.160, 2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080,
      2.074, 2.069, 2.064, 2.060, 2.056, 2.052, 2.048, 2.045, 2.042};

  /** The statistics of {@code values}, NaNs ignored; all NaN for no value. */
  public static SeedStats of(double[] values) {
    double[] v = Arrays.stream(values).filter(x -> !Double.isNaN(x)).toArray();
    int n = v.length;
    if (n == 0) {
      return new SeedStats(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
    }
    double mean = Arrays.stream(v).average().orElseThrow();
    if (n == 1) {
      return new SeedStats(1, mean, Double.NaN, Double.NaN, Double.NaN);
    }
    double ss = 0;
    for (double x : v) {
      ss += (x - mean) * (x - mean);
    }
    double sd = Math.sqrt(ss / (n - 1));
    double half = tQuantile975(n - 1) * sd / Math.sqrt(n);
    return new SeedStats(n, mean, sd, mean - half, mean + half);
  }

  /**
   * The seeds a paired difference with per-seed standard deviation {@code sd} needs for its 95%
   * interval's half-width to be at most {@code halfWidth}: the smallest n >= 2 with
   * t(n - 1) sd / sqrt(n) <= halfWidth; -1 when {@code sd} is not a number.
   */
  public static int seedsFor(double sd, double halfWidth) {
    if (Double.isNaN(sd)) {
      return -1;
    }
    int n = 2;
    while (tQuantile975(n - 1) * sd / Math.sqrt(n) > halfWidth) {
      n++;
    }
    return n;
  }

  /** Half the width of the 95% interval; NaN for fewer than two values. */
  public double halfWidth() {
    return (upper - lower) / 2;
  }

  /** The 97.5% quantile of Student's t with {@code df} degrees of freedom. */
  static double tQuantile975(int df) {
    return df <= T975.length ? T975[df - 1] : 1.960;
  }
}
