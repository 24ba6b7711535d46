package org.rdnas.rank;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How far a table's score columns agree with each other, without ground truth: Spearman's rho and
 * Kendall's tau-b of every pair of columns over the archs both scored (NaN = not scored).
 *
 * @param names the columns, in the given order
 * @param spearman rho of columns i and j (1 on the diagonal)
 * @param kendall tau-b of columns i and j
 * @param pairs archs scored by both i and j
 */
public record ProxyAgreement(List<String> names, double[][] spearman, double[][] kendall,
    int[][] pairs) {
  /** The agreement of {@code columns} (each the same archs in the same order). */
  public static ProxyAgreement of(Map<String, double[]> columns) {
    List<String> names = new ArrayList<>(columns.keySet());
    int k = names.size();
    double[][] rho = new double[k][k];
    double[][] tau = new double[k][k];
    int[][] n = new int[k][k];
    for (int i = 0; i < k; i++) {
      double[] x = columns.get(names.get(i));
      for (int j = 0; j < k; j++) {
        double[] y = columns.get(names.get(j));
        if (x.length != y.length) {
          throw new IllegalArgumentException(names.get(i) + " has " + x.length + " values, "
              + names.get(j) + " " + y.length);
        }
        int both = 0;
        for (int a = 0; a < x.length; a++) {
          if (!Double.isNaN(x[a]) && !Double.isNaN(y[a])) {
            both++;
          }
        }
        n[i][j] = both;
        rho[i][j] = Correlation.spearman(x, y);
        tau[i][j] = Correlation.kendallTauB(x, y);
      }
    }
    return new ProxyAgreement(List.copyOf(names), rho, tau, n);
  }

  /** Both matrices as fixed-width text tables, with the smallest pair count. */
  public String render() {
    int min = Integer.MAX_VALUE;
    for (int[] row : pairs) {
      for (int v : row) {
        min = Math.min(min, v);
      }
    }
    return "Spearman rho (archs scored by both: at least " + min + ")\n" + table(spearman)
        + "\nKendall tau-b\n" + table(kendall);
  }

  private String table(double[][] m) {
    StringBuilder sb = new StringBuilder(String.format("%-10s", ""));
    names.forEach(n -> sb.append(String.format(" %9s", n)));
    sb.append('\n');
    for (int i = 0; i < names.size(); i++) {
      sb.append(String.format("%-10s", names.get(i)));
      for (int j = 0; j < names.size(); j++) {
        sb.append(String.format(" %9.3f", m[i][j]));
      }
      sb.append('\n');
    }
    return sb.toString();
  }

  /** rho of two named columns. */
  public double spearman(String a, String b) {
    return spearman[names.indexOf(a)][names.indexOf(b)];
  }

  /** Columns in order, for building {@link #of}'s argument. */
  public static Map<String, double[]> columns() {
    return new LinkedHashMap<>();
  }
}
