package org.rdnas.proxy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.rdnas.nn.Autograd;
import org.rdnas.nn.ForwardOptions;
import org.rdnas.nn.Nb201Network;
import org.rdnas.nn.Weights;

/**
 * AZ-NAS (Lee and Ham, CVPR 2024; cvlab-yonsei/AZ-NAS): the one pass behind its expressivity,
 * progressivity and trainability; their rank aggregate over a candidate set is
 * {@link org.rdnas.rank.Aggregate#AZ_NAS}. The net runs in the
 * benchmark's convention, train mode, with kaiming-normal weights on an N(0, 1) input; its feature
 * maps are the stem's output f0 and each cell's and reduction block's output f1..fL (L = 17 at N = 5).
 * Per map, E_i is the entropy of the normalised eigenvalues of the channel covariance over all
 * positions; per pair, G = the vector-Jacobian product of f_i with respect to f_(i-1) along a random
 * sign mask, and the pair scores 2 - s - 1/(s + 1e-6) with s the largest singular value of
 * G^T mask / positions (a reduction's G pixel-unshuffled to the output's size), or -infinity when G is
 * the mask itself (an identity cell).
 */
public final class AzNas {
  private static final double LOG_EPS = 1e-8;
  private static final double SIGMA_EPS = 1e-6;

  private final double[] entropies;
  private final double[] pairScores;

  private AzNas(double[] entropies, double[] pairScores) {
    this.entropies = entropies;
    this.pairScores = pairScores;
  }

  /** The pass for the context's arch, computed once and shared by the three components. */
  static AzNas of(ProxyContext ctx) {
    return ctx.shared(AzNas.class, AzNas::compute);
  }

  /** E_0..E_L; NaN where the covariance is all zero (0/0). */
  double[] entropies() {
    return entropies.clone();
  }

  /** The score of pair (f_(i-1), f_i) at index i - 1. */
  double[] pairScores() {
    return pairScores.clone();
  }

  /** Sum of the entropies; -infinity for NaN, as the authors' ranking treats it. */
  double expressivity() {
    double sum = 0;
    for (double e : entropies) {
      sum += e;
    }
    return orMinusInfinity(sum);
  }

  /** The smallest step E_i - E_(i-1). */
  double progressivity() {
    double min = Double.POSITIVE_INFINITY;
    for (int i = 1; i < entropies.length; i++) {
      min = Math.min(min, entropies[i] - entropies[i - 1]);
    }
    return orMinusInfinity(min);
  }

  /** Mean of the pair scores (-infinity when any pair is). */
  double trainability() {
    double sum = 0;
    for (double t : pairScores) {
      sum += t;
    }
    return orMinusInfinity(sum / pairScores.length);
  }

  private static double orMinusInfinity(double v) {
    return Double.isNaN(v) ? Double.NEGATIVE_INFINITY : v;
  }

  private static AzNas compute(ProxyContext ctx) {
    Nb201Network net = ctx.benchmarkNetwork();
    DataType type = ctx.precision();
    int blocks = net.blockCount();
    double[] entropies = new double[blocks + 1];
    double[] pairs = new double[blocks];
    try (NDManager s = ctx.scope().newSubManager();
        Weights w = ctx.azNasWeights(s, type)) {
      NDManager held = s.newSubManager();
      NDArray f = net.stem(w, ctx.azNasInput(held, type), ForwardOptions.train());
      f.attach(held);
      entropies[0] = entropy(f);
      for (int i = 1; i <= blocks; i++) {
        // Each block runs from a leaf copy of the previous map, so one backward gives exactly the
        // vector-Jacobian product of this pair and frees its graph, as the authors' autograd.grad does.
        NDManager next = s.newSubManager();
        try (NDManager b = s.newSubManager()) {
          NDArray in = f.duplicate();
          in.attach(b);
          NDArray out;
          NDArray g;
          NDArray mask;
          try (Autograd.Scope grad = Autograd.enable()) {
            in.setRequiresGradient(true);
            out = net.block(w, ctx.arch(), i - 1, in, ForwardOptions.train());
            out.attach(b);
            mask = ctx.azNasMask(b, i, out.getShape(), type);
            boolean connected = Autograd.backwardIfConnected(out.mul(mask).sum());
            // A block whose output ignores its input (all edges none) has a zero Jacobian.
            g = connected ? Autograd.gradient(in, b) : b.zeros(in.getShape(), type);
          }
          pairs[i - 1] = pairScore(g, mask);
          NDArray kept = out.stopGradient();
          kept.attach(next);
          f = kept;
        }
        held.close();
        held = next;
        entropies[i] = entropy(f);
      }
      held.close();
    }
    return new AzNas(entropies, pairs);
  }

  /** -sum p ln(p + 1e-8), p the channel covariance's eigenvalues over their sum. */
  static double entropy(NDArray f) {
    try (NDManager s = f.getManager().newSubManager()) {
      f.tempAttach(s);
      Shape shape = f.getShape();
      int c = (int) shape.get(1);
      NDArray x = f.transpose(0, 2, 3, 1).reshape(-1, c);
      long n = x.getShape().get(0);
      NDArray centred = x.sub(x.mean(new int[] {0}, true));
      NDArray cov = centred.transpose().matMul(centred).div(n);
      double[] ev;
      try {
        ev = SmallLinalg.symmetricEigenvalues(square(cov, c));
      } catch (ArithmeticException overflow) {
        return Double.NaN;
      }
      double total = 0;
      for (double v : ev) {
        total += v;
      }
      double e = 0;
      for (double v : ev) {
        double p = v / total;
        e -= p * Math.log(p + LOG_EPS);
      }
      return e;
    }
  }

  /**
   * The pair's score from G (shaped like the block's input) and the mask (like its output):
   * -infinity when G is the mask, else 2 - s - 1/(s + 1e-6).
   */
  static double pairScore(NDArray g, NDArray mask) {
    if (g.getShape().equals(mask.getShape()) && g.contentEquals(mask)) {
      return Double.NEGATIVE_INFINITY;
    }
    try (NDManager s = g.getManager().newSubManager()) {
      g.tempAttach(s);
      Shape go = mask.getShape();
      Shape gi = g.getShape();
      long b = go.get(0);
      long h = go.get(2);
      long wd = go.get(3);
      int stride = (int) (gi.get(2) / h);
      NDArray rows;
      if (stride != 1) {
        // pixel_unshuffle by the stride, with positions as rows: (B, H, W, C_in, r, r).
        rows = g.reshape(b, gi.get(1), h, stride, wd, stride).transpose(0, 2, 4, 1, 3, 5)
            .reshape(b * h * wd, -1);
      } else {
        rows = g.transpose(0, 2, 3, 1).reshape(b * h * wd, -1);
      }
      NDArray m = mask.transpose(0, 2, 3, 1).reshape(b * h * wd, -1);
      NDArray a = rows.transpose().matMul(m).div(b * h * wd);
      double sigma = largestSingularValue(a);
      return 2 - sigma - 1 / (sigma + SIGMA_EPS);
    }
  }

  /** sqrt of the largest eigenvalue of A^T A or A A^T, whichever is smaller. */
  private static double largestSingularValue(NDArray a) {
    long r = a.getShape().get(0);
    long c = a.getShape().get(1);
    NDArray gram = r < c ? a.matMul(a.transpose()) : a.transpose().matMul(a);
    int k = (int) Math.min(r, c);
    double[] ev = SmallLinalg.symmetricEigenvalues(square(gram, k));
    return Math.sqrt(Math.max(0, ev[ev.length - 1]));
  }

  private static double[][] square(NDArray a, int k) {
    double[] flat = a.toType(DataType.FLOAT64, false).toDoubleArray();
    double[][] out = new double[k][k];
    for (int i = 0; i < k; i++) {
      System.arraycopy(flat, i * k, out[i], 0, k);
    }
    return out;
  }
}
