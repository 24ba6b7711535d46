package org.rdnas.proxy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;

/** grad_norm (zero-cost-nas): sum over layers of the Frobenius norm of dL/dW. */
public final class GradNorm extends AbstractProxy {
  public GradNorm() {
    super("grad_norm", true, true);
  }

  @Override
  public boolean architectureGeneric() {
    return true;
  }

  @Override
  public double score(ProxyContext ctx) {
    double score = 0;
    for (NDArray g : ctx.lossGradients().weightGradients().values()) {
      score += Math.sqrt(g.toType(DataType.FLOAT64, false).square().sum().getDouble());
    }
    return score;
  }
}
