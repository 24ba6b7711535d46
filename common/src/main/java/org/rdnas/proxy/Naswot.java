package org.rdnas.proxy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import org.rdnas.nn.ForwardObserver;
import org.rdnas.nn.ForwardOptions;
import org.rdnas.nn.Weights;

/**
 * NASWOT (Mellor et al. 2021, nas-without-training): one train-mode forward of the minibatch; at every
 * ReLU input the binary code c = (input > 0) per sample; K = sum over ReLUs of c c^T + (1-c)(1-c)^T;
 * score = log |det K|. Quirk kept for comparability: the reference hooks each ReLU-conv-BN block and
 * the ReLU inside it, so those ReLUs count twice and the head's ReLU once.
 */
public final class Naswot extends AbstractProxy {
  public Naswot() {
    super("naswot", true, false);
  }

  @Override
  public boolean architectureGeneric() {
    return true;
  }

  @Override
  public double score(ProxyContext ctx) {
    return logDet(kernel(ctx, true));
  }

  /** The NASWOT kernel; {@code referenceDoubleCount} reproduces the reference's double hooks. */
  static double[][] kernel(ProxyContext ctx, boolean referenceDoubleCount) {
    try (NDManager s = ctx.scope().newSubManager();
        Weights w = ctx.initialWeights(s, ctx.precision())) {
      int n = (int) ctx.images().getShape().get(0);
      NDArray[] k = {s.zeros(new ai.djl.ndarray.types.Shape(n, n), DataType.FLOAT64)};
      ForwardObserver codes = new ForwardObserver() {
        @Override
        public void reluInput(NDArray x, boolean inReluConvBn) {
          // With u = 2c - 1 in {-1, 1}: c c^T + (1-c)(1-c)^T = (u u^T + d) / 2, one product
          // instead of two; float32 sums of +-1 are exact integers at these sizes.
          NDArray u = x.gt(0).toType(DataType.FLOAT32, false).reshape(n, -1).mul(2).sub(1);
          long d = u.getShape().get(1);
          NDArray kk = u.matMul(u.transpose()).toType(DataType.FLOAT64, false).add(d).div(2);
          NDArray next = k[0].add(referenceDoubleCount && inReluConvBn ? kk.mul(2) : kk);
          next.attach(s);
          k[0] = next;
        }
      };
      ctx.model().forward(w, ctx.images(), ForwardOptions.train().optObserver(codes));
      double[] flat = k[0].toDoubleArray();
      double[][] out = new double[n][n];
      for (int i = 0; i < n; i++) {
        System.arraycopy(flat, i * n, out[i], 0, n);
      }
      return out;
    }
  }

  static double logDet(double[][] k) {
    return SmallLinalg.logAbsDet(k);
  }
}
