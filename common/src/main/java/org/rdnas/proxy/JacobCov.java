package org.rdnas.proxy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import org.rdnas.nn.Autograd;
import org.rdnas.nn.ForwardOptions;
import org.rdnas.nn.Weights;

/**
 * jacob_cov (NASWOT v1 / zero-cost-nas): J = d(sum of logits)/dx per sample; C = corrcoef of J's rows;
 * score = -sum over C's eigenvalues v of log(v + 1e-5) + 1/(v + 1e-5). NaN for a disconnected net,
 * whose rows are constant.
 */
public final class JacobCov extends AbstractProxy {
  private static final double K = 1e-5;

  public JacobCov() {
    super("jacob_cov", true, true);
  }

  @Override
  public boolean architectureGeneric() {
    return true;
  }

  @Override
  public double score(ProxyContext ctx) {
    double[][] j;
    try (NDManager s = ctx.scope().newSubManager();
        Weights w = ctx.initialWeights(s, ctx.precision())) {
      NDArray x = ctx.images().duplicate();
      x.attach(s);
      try (Autograd.Scope g = Autograd.enable()) {
        x.setRequiresGradient(true);
        NDArray out = ctx.model().forward(w, x, ForwardOptions.train()).sum();
        if (!Autograd.backwardIfConnected(out)) {
          // The output ignores the input (a disconnected cell): no Jacobian, as in the reference.
          return Double.NaN;
        }
      }
      NDArray grad = Autograd.gradient(x, s).toType(DataType.FLOAT64, false);
      int n = (int) grad.getShape().get(0);
      double[] flat = grad.toDoubleArray();
      int d = flat.length / n;
      j = new double[n][d];
      for (int i = 0; i < n; i++) {
        System.arraycopy(flat, i * d, j[i], 0, d);
      }
    }
    double[] ev;
    try {
      ev = SmallLinalg.symmetricEigenvalues(SmallLinalg.corrcoef(j));
    } catch (ArithmeticException e) {
      return Double.NaN;
    }
    double score = 0;
    for (double v : ev) {
      score += Math.log(v + K) + 1 / (v + K);
    }
    return -score;
  }
}
