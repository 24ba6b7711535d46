package org.rdnas.proxy;

/**
 * AZ-NAS's expressivity (Lee and Ham, CVPR 2024): the sum of the entropies E_0..E_L of the feature
 * maps' channel-covariance spectra ({@link AzNas}). NaN (an all-zero covariance) is reported as
 * -infinity, a failed row. The three AZ-NAS components share one pass per arch, whose time the first
 * of them to run is charged; AZ-NAS's complexity is the {@code flops} proxy.
 */
public final class AzExpressivity extends AbstractProxy {
  public AzExpressivity() {
    super("az_expressivity", false, true);
  }

  @Override
  public double score(ProxyContext ctx) {
    return AzNas.of(ctx).expressivity();
  }
}
