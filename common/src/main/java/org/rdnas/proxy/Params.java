package org.rdnas.proxy;


/** Parameter-count baseline: trainable parameters in millions, in the benchmark's convention. */
public final class Params extends AbstractProxy {
  public Params() {
    super("params", false, false);
  }

  @Override
  public double score(ProxyContext ctx) {
    return ctx.benchmarkNetwork().parameterCount(ctx.arch()) / 1e6;
  }
}
