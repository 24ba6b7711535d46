package org.rdnas.proxy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.types.DataType;
import java.util.Map;

/**
 * Fisher (Turner et al. 2020, zero-cost-nas): for each conv and linear layer with output a and its
 * gradient dL/da, g[n, c] = sum over space of a * dL/da; per channel 0.5 * mean over n of g^2, times
 * the layer's fan-in (zero-cost-nas broadcasts the per-channel value over the channel's weights), summed.
 */
public final class Fisher extends AbstractProxy {
  public Fisher() {
    super("fisher", true, true);
  }

  @Override
  public boolean architectureGeneric() {
    return true;
  }

  @Override
  public double score(ProxyContext ctx) {
    double score = 0;
    for (Map.Entry<String, NDArray[]> e : ctx.lossGradients().layerOutputs().entrySet()) {
      NDArray a = e.getValue()[0];
      NDArray prod = a.mul(e.getValue()[1]).toType(DataType.FLOAT64, false);
      if (prod.getShape().dimension() == 4) {
        long n = prod.getShape().get(0);
        long c = prod.getShape().get(1);
        prod = prod.reshape(n, c, -1).sum(new int[] {2});
      }
      double perChannel = prod.square().mean(new int[] {0}).mul(0.5).sum().getDouble();
      int fanIn = ctx.model().parameter(e.getKey() + ".weight").fanIn();
      score += perChannel * fanIn;
    }
    return score;
  }
}
