package org.rdnas.rank;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * Rank correlations between two score vectors: Kendall tau-b (ties in either vector corrected),
 * Spearman (Pearson of average ranks) and Pearson. Pairs where either value is NaN are dropped first.
 */
public final class Correlation {
  private Correlation() {}

  /** Kendall's tau-b; NaN when fewer than two complete pairs remain or a side is constant. */
  public static double kendallTauB(double[] x, double[] y) {
    double[][] p = complete(x, y);
    double[] a = p[0];
    double[] b = p[1];
    int n = a.length;
    long concordant = 0;
    long discordant = 0;
    long tiesA = 0;
    long tiesB = 0;
    for (int i = 0; i < n; i++) {
      for (int j = i + 1; j < n; j++) {
        int sa = Double.compare(a[i], a[j]);
        int sb = Double.compare(b[i], b[j]);
        if (sa == 0 && sb == 0) {
          tiesA++;
          tiesB++;
        } else if (sa == 0) {
          tiesA++;
        } else if (sb == 0) {
          tiesB++;
        } else if (sa == sb) {
          concordant++;
        } else {
          discordant++;
        }
      }
    }
    double n0 = (double) n * (n - 1) / 2;
    double denom = Math.sqrt((n0 - tiesA) * (n0 - tiesB));
    return denom == 0 ? Double.NaN : (concordant - discordant) / denom;
  }

  /** Spearman's rho: Pearson correlation of average ranks. */
  public static double spearman(double[] x, double[] y) {
    double[][] p = complete(x, y);
    return pearsonOf(ranks(p[0]), ranks(p[1]));
  }

  /** Pearson's r. */
  public static double pearson(double[] x, double[] y) {
    double[][] p = complete(x, y);
    return pearsonOf(p[0], p[1]);
  }

  /** Average ranks (1-based; ties share the mean of their positions). */
  public static double[] ranks(double[] v) {
    Integer[] order = IntStream.range(0, v.length).boxed().toArray(Integer[]::new);
    Arrays.sort(order, Comparator.comparingDouble(i -> v[i]));
    double[] r = new double[v.length];
    int i = 0;
    while (i < order.length) {
      int j = i;
      while (j + 1 < order.length && v[order[j + 1]] == v[order[i]]) {
        j++;
      }
      double avg = (i + j) / 2.0 + 1;
      for (int k = i; k <= j; k++) {
        r[order[k]] = avg;
      }
      i = j + 1;
    }
    return r;
  }

  private static double pearsonOf(double[] a, double[] b) {
    int n = a.length;
    if (n < 2) {
      return Double.NaN;
    }
    double ma = 0;
    double mb = 0;
    for (int i = 0; i < n; i++) {
      ma += a[i];
      mb += b[i];
    }
    ma /= n;
    mb /= n;
    double sab = 0;
    double saa = 0;
    double sbb = 0;
    for (int i = 0; i < n; i++) {
      double da = a[i] - ma;
      double db = b[i] - mb;
      sab += da * db;
      saa += da * da;
      sbb += db * db;
    }
    return saa == 0 || sbb == 0 ? Double.NaN : sab / Math.sqrt(saa * sbb);
  }

  /** The pairs of {@code x} and {@code y} where neither is NaN. */
  static double[][] complete(double[] x, double[] y) {
    if (x.length != y.length) {
      throw new IllegalArgumentException(
          "score vectors differ in length: " + x.length + " vs " + y.length);
    }
    int n = 0;
    for (int i = 0; i < x.length; i++) {
      if (!Double.isNaN(x[i]) && !Double.isNaN(y[i])) {
        n++;
      }
    }
    double[] a = new double[n];
    double[] b = new double[n];
    int k = 0;
    for (int i = 0; i < x.length; i++) {
      if (!Double.isNaN(x[i]) && !Double.isNaN(y[i])) {
        a[k] = x[i];
        b[k++] = y[i];
      }
    }
    return new double[][] {a, b};
  }
}
