package org.rdnas.proxy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rdnas.nn.Autograd;
import org.rdnas.nn.CrossEntropy;
import org.rdnas.nn.ForwardOptions;
import org.rdnas.nn.ParamSpec;
import org.rdnas.nn.Weights;

/**
 * ZiCo (Li et al., ICLR 2023; SLDGroup/ZiCo): two minibatches, each with its own train-mode forward and
 * backward of the mean cross-entropy at the initial weights; for every conv and linear weight, m = mean
 * over the batches of |dL/dW| and s = their population standard deviation; per layer S = sum of m / s
 * over the weights with s != 0; score = sum of ln S over the layers with S != 0. A layer whose gradients
 * never differ (a dead conv) adds nothing, so the all-none net scores 0.
 */
public final class Zico extends AbstractProxy {
  public Zico() {
    super("zico", true, true);
  }

  @Override
  public int minibatches() {
    return 2;
  }

  @Override
  public boolean architectureGeneric() {
    return true;
  }

  @Override
  public double score(ProxyContext ctx) {
    double score = 0;
    for (LayerTerm t : layerTerms(ctx)) {
      if (t.counted()) {
        score += t.logSum();
      }
    }
    return score;
  }

  /** One layer's part: how many of its weights have s != 0, and ln S (NaN when S = 0: skipped). */
  record LayerTerm(String layer, int nonzeroStd, double logSum) {
    boolean counted() {
      return !Double.isNaN(logSum);
    }
  }

  /** Every conv and linear layer's term, in network order. */
  static List<LayerTerm> layerTerms(ProxyContext ctx) {
    List<ParamSpec> layers = ctx.layerWeights();
    List<Map<String, double[]>> batches = List.of(
        gradients(ctx, layers, ctx.images(), ctx.labels()),
        gradients(ctx, layers, ctx.secondImages(), ctx.secondLabels()));
    List<LayerTerm> out = new ArrayList<>();
    for (ParamSpec p : layers) {
      double[][] g = new double[batches.size()][];
      for (int b = 0; b < g.length; b++) {
        g[b] = batches.get(b).get(p.name());
      }
      out.add(term(p.layer(), g));
    }
    return out;
  }

  /** S of one layer from its per-batch gradients {@code g[batch][weight]}, as numpy's mean and std give it. */
  static LayerTerm term(String layer, double[][] g) {
    int k = g.length;
    double sum = 0;
    int nonzero = 0;
    for (int i = 0; i < g[0].length; i++) {
      double mean = 0;
      double meanAbs = 0;
      for (double[] gb : g) {
        mean += gb[i];
        meanAbs += Math.abs(gb[i]);
      }
      mean /= k;
      meanAbs /= k;
      double var = 0;
      for (double[] gb : g) {
        double d = gb[i] - mean;
        var += d * d;
      }
      double std = Math.sqrt(var / k);
      // The reference keeps exactly the weights with a nonzero deviation: no threshold.
      if (std != 0) {
        sum += meanAbs / std;
        nonzero++;
      }
    }
    return new LayerTerm(layer, nonzero, sum == 0 ? Double.NaN : Math.log(sum));
  }

  /** dL/dW of every layer weight for one minibatch, from fresh initial weights (no accumulation). */
  private static Map<String, double[]> gradients(
      ProxyContext ctx, List<ParamSpec> layers, NDArray x, NDArray y) {
    try (NDManager s = ctx.scope().newSubManager();
        Weights w = ctx.initialWeights(s, ctx.precision())) {
      Map<String, NDArray> leaves = w.subset(layers.stream().map(ParamSpec::name).toList());
      try (Autograd.Scope g = Autograd.enable()) {
        Autograd.requireGrad(leaves.values());
        NDArray logits = ctx.model().forward(w, x, ForwardOptions.train());
        Autograd.backward(CrossEntropy.mean(logits, y));
      }
      Map<String, double[]> out = new LinkedHashMap<>();
      for (Map.Entry<String, NDArray> e : leaves.entrySet()) {
        NDArray grad = Autograd.gradient(e.getValue(), s, ctx.reached(e.getKey()));
        out.put(e.getKey(), grad.toType(DataType.FLOAT64, false).toDoubleArray());
      }
      return out;
    }
  }
}
