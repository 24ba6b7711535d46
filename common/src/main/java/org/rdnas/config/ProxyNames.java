package org.rdnas.config;

import java.util.List;

/**
 * The zero-cost proxy names that {@code rdnas.proxies} and {@code rdnas.distill.teacher} accept, in
 * the proxy registry's order. A plain list, so that checking a configuration loads neither the
 * proxies nor DJL; ProxyNamesTest, in the proxy package's tests, keeps it equal to the registry.
 */
public final class ProxyNames {
  /** Every registered proxy's name; a new proxy's name is added here too. */
  public static final List<String> ALL = List.of(
      "synflow", "snip", "grasp", "fisher", "grad_norm", "jacob_cov", "naswot", "zen", "flops",
      "params", "zico", "meco", "swap", "swap_reg", "az_expressivity", "az_progressivity",
      "az_trainability");

  private ProxyNames() {}
}
