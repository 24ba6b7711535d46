package org.rdnas.proxy;

import ai.djl.ndarray.NDArray;
import java.util.Map;

/** SNIP (Lee et al. 2019, zero-cost-nas): sum over layers of sum |W * dL/dW|, L the mean cross-entropy. */
public final class Snip extends AbstractProxy {
  public Snip() {
    super("snip", true, true);
  }

  @Override
  public boolean architectureGeneric() {
    return true;
  }

  @Override
  public double score(ProxyContext ctx) {
    ProxyContext.LossGradients lg = ctx.lossGradients();
    double score = 0;
    for (Map.Entry<String, NDArray> e : lg.weights().entrySet()) {
      NDArray g = lg.weightGradients().get(e.getKey());
      score += e.getValue().mul(g).abs().sum().toType(ai.djl.ndarray.types.DataType.FLOAT64, false)
          .getDouble();
    }
    return score;
  }
}
