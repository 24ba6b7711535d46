package org.rdnas.proxy;

/**
 * AZ-NAS's trainability (Lee and Ham, CVPR 2024): the mean over consecutive feature maps of
 * 2 - s - 1/(s + 1e-6), s the largest singular value of their masked vector-Jacobian product
 * ({@link AzNas}); -infinity, a failed row, when a cell is the identity.
 */
public final class AzTrainability extends AbstractProxy {
  public AzTrainability() {
    super("az_trainability", false, true);
  }

  @Override
  public double score(ProxyContext ctx) {
    return AzNas.of(ctx).trainability();
  }
}
