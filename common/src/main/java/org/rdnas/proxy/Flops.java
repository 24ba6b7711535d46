package org.rdnas.proxy;

import org.rdnas.nn.CellConvention;
import org.rdnas.nn.Nb201Network;

/**
 * FLOPs baseline: multiply-accumulates of every conv and linear that runs, for one 32x32 image, in
 * millions, in the benchmark's convention (cell convs without bias); see {@link Nb201Network#macs}.
 */
public final class Flops implements ZeroCostProxy {
  @Override
  public String name() {
    return "flops";
  }

  @Override
  public boolean needsData() {
    return false;
  }

  @Override
  public boolean needsBackward() {
    return false;
  }

  @Override
  public double score(ProxyContext ctx) {
    Nb201Network bench = Nb201Network.of(ctx.network().config().withConvention(CellConvention.BENCHMARK));
    return bench.macs(ctx.arch()) / 1e6;
  }
}
