package org.rdnas.proxy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.AbstractMap.SimpleImmutableEntry;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.rdnas.nn.ForwardObserver;
import org.rdnas.nn.ForwardOptions;
import org.rdnas.nn.Weights;

/**
 * MeCo (Jiang et al., NeurIPS 2023; HamsterMimi/MeCo, its NAS-Bench-201 script): one train-mode forward
 * of the minibatch's first image at the initial weights; for the output of every module each time it
 * runs, the first sample's C x (H*W) rows, their Pearson correlation matrix with NaN and infinite entries
 * set to 0, and its smallest eigenvalue; score = sum of these minima. Quirk kept: the reference hooks
 * every module, containers included, so a tensor counts once for each module that returns it (a cell
 * BN's output three times, a skip op's input once more).
 */
public final class Meco extends AbstractProxy {
  public Meco() {
    super("meco", true, false);
  }

  @Override
  public double score(ProxyContext ctx) {
    double score = 0;
    for (Map.Entry<String, Double> t : moduleTerms(ctx)) {
      // The reference drops NaN minima before summing.
      if (Double.isFinite(t.getValue())) {
        score += t.getValue();
      }
    }
    return score;
  }

  /** Every module call's term, named by the module, in the order the reference's hooks fire. */
  static List<Map.Entry<String, Double>> moduleTerms(ProxyContext ctx) {
    List<Map.Entry<String, Double>> terms = new ArrayList<>();
    // One array reaches several modules (a container returns its last child's output): compute once.
    Map<NDArray, Double> seen = new IdentityHashMap<>();
    ForwardObserver hooks = new ForwardObserver() {
      @Override
      public void moduleOutput(String module, NDArray out) {
        double t = out == null ? 0 : seen.computeIfAbsent(out, Meco::term);
        terms.add(new SimpleImmutableEntry<>(module, t));
      }
    };
    try (NDManager s = ctx.scope().newSubManager();
        Weights w = ctx.initialWeights(s, ctx.precision())) {
      NDArray first = ctx.images().get("0:1");
      first.attach(s);
      ctx.network().forward(w, ctx.arch(), first, ForwardOptions.train().optObserver(hooks));
    }
    return terms;
  }

  /** The smallest eigenvalue of the correlation matrix of the first sample's channels. */
  static double term(NDArray out) {
    Shape shape = out.getShape();
    int c = (int) shape.get(1);
    int n = (int) (shape.size() / shape.get(0) / c);
    // With n <= c positions the centred rows span at most n - 1 < c dimensions: the correlation matrix
    // is singular and positive semi-definite, so its minimum is exactly 0 (the reference computes
    // rounding noise of about 1e-16 there). This covers 2-D outputs (n = 1) and stage 3 at 32x32 input.
    if (n <= c) {
      return 0;
    }
    NDArray sample = out.get(0);
    double[] x = sample.getDataType() == DataType.FLOAT64 ? sample.toDoubleArray() : toDoubles(sample);
    sample.close();
    return minCorrelationEigenvalue(x, c, n);
  }

  /**
   * numpy/torch corrcoef of the {@code c} rows of {@code x} (row-major c x n), NaN and infinite entries
   * set to 0, and its smallest eigenvalue.
   */
  static double minCorrelationEigenvalue(double[] x, int c, int n) {
    double[][] z = new double[c][n];
    boolean constantRow = false;
    for (int i = 0; i < c; i++) {
      double mean = 0;
      for (int k = 0; k < n; k++) {
        mean += x[i * n + k];
      }
      mean /= n;
      double ss = 0;
      for (int k = 0; k < n; k++) {
        double d = x[i * n + k] - mean;
        z[i][k] = d;
        ss += d * d;
      }
      if (ss == 0) {
        // A constant row: the reference's NaN row and column become 0, an exact zero eigenvalue of
        // a positive semi-definite matrix, so the minimum is 0.
        constantRow = true;
        break;
      }
      double inv = 1 / Math.sqrt(ss);
      for (int k = 0; k < n; k++) {
        z[i][k] *= inv;
      }
    }
    if (constantRow) {
      return 0;
    }
    double[][] r = new double[c][c];
    for (int i = 0; i < c; i++) {
      for (int j = i; j < c; j++) {
        double dot = 0;
        double[] zi = z[i];
        double[] zj = z[j];
        for (int k = 0; k < n; k++) {
          dot += zi[k] * zj[k];
        }
        r[i][j] = dot;
        r[j][i] = dot;
      }
    }
    return SmallLinalg.symmetricEigenvalues(r)[0];
  }

  private static double[] toDoubles(NDArray a) {
    float[] f = a.toType(DataType.FLOAT32, false).toFloatArray();
    double[] d = new double[f.length];
    for (int i = 0; i < f.length; i++) {
      d[i] = f[i];
    }
    return d;
  }
}
