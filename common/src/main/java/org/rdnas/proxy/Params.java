package org.rdnas.proxy;


/** Parameter-count baseline: trainable parameters in millions, in the space's counting convention. */
public final class Params extends AbstractProxy {
  public Params() {
    super("params", false, false);
  }

  @Override
  public boolean architectureGeneric() {
    return true;
  }

  @Override
  public double score(ProxyContext ctx) {
    return ctx.model().parameterCount() / 1e6;
  }
}
