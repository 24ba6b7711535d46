package org.rdnas.proxy;

/**
 * AZ-NAS's progressivity (Lee and Ham, CVPR 2024): the smallest step E_i - E_(i-1) between the
 * entropies of consecutive feature maps ({@link AzNas}). NaN is reported as -infinity, a failed row.
 */
public final class AzProgressivity extends AbstractProxy {
  public AzProgressivity() {
    super("az_progressivity", false, true);
  }

  @Override
  public double score(ProxyContext ctx) {
    return AzNas.of(ctx).progressivity();
  }
}
