package org.rdnas.proxy;

import org.rdnas.nn.Nb201Network;

/**
 * FLOPs baseline: multiply-accumulates of every conv and linear that runs, for one 32x32 image, in
 * millions, in the benchmark's convention (cell convs without bias); see {@link Nb201Network#macs}.
 */
public final class Flops extends AbstractProxy {
  public Flops() {
    super("flops", false, false);
  }

  @Override
  public double score(ProxyContext ctx) {
    return ctx.benchmarkNetwork().macs(ctx.arch()) / 1e6;
  }
}
