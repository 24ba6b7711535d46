package org.rdnas.proxy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.Map;
import org.rdnas.nn.Autograd;
import org.rdnas.nn.ForwardOptions;
import org.rdnas.nn.ParamSpec;
import org.rdnas.nn.Weights;

/**
 * SynFlow (Tanaka et al. 2020, zero-cost-nas): in float64, every parameter replaced by its absolute
 * value, the BNs of stem, cells and head dropped, one all-ones input; R = sum of logits; score = sum
 * over layers of sum |W * dR/dW|. Always float64: values reach 1e34.
 */
public final class Synflow extends AbstractProxy {
  public Synflow() {
    super("synflow", false, true);
  }

  @Override
  public boolean architectureGeneric() {
    return true;
  }

  @Override
  public double score(ProxyContext ctx) {
    try (NDManager s = ctx.scope().newSubManager();
        Weights init = ctx.initialWeights(s, DataType.FLOAT64);
        Weights w = init.map(s, NDArray::abs)) {
      var layers = w.subset(ctx.layerWeights().stream().map(ParamSpec::name).toList());
      int side = ctx.model().inputSize();
      NDArray ones = s.ones(new Shape(1, ctx.model().inputChannels(), side, side), DataType.FLOAT64);
      try (Autograd.Scope g = Autograd.enable()) {
        Autograd.requireGrad(layers.values());
        NDArray r = ctx.model().forward(w, ones, ForwardOptions.train().optSynflow(true));
        Autograd.backward(r.sum());
      }
      double score = 0;
      for (Map.Entry<String, NDArray> e : layers.entrySet()) {
        NDArray wl = e.getValue();
        score += wl.stopGradient().mul(Autograd.gradient(wl, s, ctx.reached(e.getKey()))).abs().sum()
            .getDouble();
      }
      return score;
    }
  }
}
