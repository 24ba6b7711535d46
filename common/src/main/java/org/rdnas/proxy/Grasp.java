package org.rdnas.proxy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.Map;
import org.rdnas.nn.Autograd;
import org.rdnas.nn.ForwardOptions;
import org.rdnas.nn.Weights;

/**
 * GraSP (Wang et al. 2020, zero-cost-nas): with g = dL/dW held constant, Hg = d(g . dL/dW)/dW, a
 * Hessian-vector product; score = sum over layers of sum(-W * Hg). Hg is the gradient of the directional
 * derivative of L along g, computed by a forward-mode tangent pass and one ordinary backward.
 */
public final class Grasp extends AbstractProxy {
  public Grasp() {
    super("grasp", true, true);
  }

  @Override
  public double score(ProxyContext ctx) {
    Map<String, NDArray> g = ctx.lossGradients().weightGradients();
    try (NDManager s = ctx.scope().newSubManager();
        Weights w = ctx.initialWeights(s, ctx.precision())) {
      Weights direction = Weights.of(s.newSubManager(), g);
      Map<String, NDArray> layers = w.subset(g.keySet());
      try (Autograd.Scope on = Autograd.enable()) {
        Autograd.requireGrad(layers.values());
        NDArray[] out = ctx.network().forwardWithTangent(
            w, direction, ctx.arch(), ctx.images(), ForwardOptions.train());
        // d(mean CE) along the direction: mean over n of (softmax - onehot) . d logits.
        NDArray logits = out[0];
        NDArray onehot = ctx.labels().oneHot((int) logits.getShape().get(1)).toType(logits.getDataType(), false);
        NDArray dLoss = Autograd.dividedBy(logits.softmax(1).sub(onehot).mul(out[1]).sum(),
            logits.getShape().get(0));
        Autograd.backward(dLoss);
      }
      double score = 0;
      for (Map.Entry<String, NDArray> e : layers.entrySet()) {
        NDArray wl = e.getValue();
        NDArray hg = Autograd.gradient(wl, s, ctx.reached(e.getKey()));
        score -= wl.stopGradient().mul(hg).sum().toType(DataType.FLOAT64, false).getDouble();
      }
      return score;
    }
  }
}
