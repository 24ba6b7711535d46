package org.rdnas.proxy;

import org.rdnas.nn.Nb201Network;

/**
 * FLOPs baseline: multiply-accumulates of every conv and linear that runs, for one image at the
 * network's input size, in millions, in the space's counting convention (NAS-Bench-201: the
 * benchmark's, cell convs without bias, {@link Nb201Network#macs}).
 */
public final class Flops extends AbstractProxy {
  public Flops() {
    super("flops", false, false);
  }

  @Override
  public boolean architectureGeneric() {
    return true;
  }

  @Override
  public double score(ProxyContext ctx) {
    return ctx.model().macs() / 1e6;
  }
}
