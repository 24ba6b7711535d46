package org.rdnas.proxy;

import org.rdnas.nn.CellConvention;
import org.rdnas.nn.Nb201Network;

/** Parameter-count baseline: trainable parameters in millions, in the benchmark's convention. */
public final class Params implements ZeroCostProxy {
  @Override
  public String name() {
    return "params";
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
    return bench.parameterCount(ctx.arch()) / 1e6;
  }
}
