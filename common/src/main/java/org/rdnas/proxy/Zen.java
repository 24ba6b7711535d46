package org.rdnas.proxy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import org.rdnas.nn.BnStats;
import org.rdnas.nn.ForwardOptions;
import org.rdnas.nn.Weights;

/**
 * Zen-score (Lin et al. 2021, ZenNAS): Gaussian weights; inputs x1 ~ N(0, 1) and x2 = x1 + 0.01 N(0, 1);
 * the pre-pooling features of both in train mode with BN running variances tracked (from 1, momentum
 * 0.1); score = log(mean over samples of sum |f(x1) - f(x2)|) + sum over every BN that ran of
 * log(sqrt(mean running variance)). Cell BNs get running statistics for this proxy only, as in the
 * reference's NAS-Bench-201 port.
 */
public final class Zen extends AbstractProxy {
  public Zen() {
    super("zen", false, false);
  }

  @Override
  public boolean architectureGeneric() {
    return true;
  }

  @Override
  public double score(ProxyContext ctx) {
    int batch = ctx.batchSize();
    NDArray[] in = ctx.zenInputs(batch);
    try (NDManager s = ctx.scope().newSubManager();
        Weights w = ctx.zenWeights().copy(s, ctx.precision());
        BnStats stats = BnStats.create(s)) {
      ForwardOptions o = ForwardOptions.train().optBnStats(stats, BnStats.Mode.TRACK);
      NDArray f1 = ctx.model().features(w, in[0].toType(ctx.precision(), false), o);
      NDArray f2 = ctx.model().features(w, in[1].toType(ctx.precision(), false), o);
      long n = f1.getShape().get(0);
      double delta = f1.sub(f2).abs().reshape(n, -1).sum(new int[] {1}).mean()
          .toType(DataType.FLOAT64, false).getDouble();
      double bn = 0;
      for (String name : stats.names()) {
        bn += Math.log(Math.sqrt(stats.runningVar(name).mean().toType(DataType.FLOAT64, false).getDouble()));
      }
      return Math.log(delta) + bn;
    }
  }
}
