package org.rdnas.proxy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * The registry of zero-cost proxies, found with {@link ServiceLoader}: adding a proxy is one class
 * plus one line in {@code META-INF/services/org.rdnas.proxy.ZeroCostProxy} and its name in
 * {@link org.rdnas.config.ProxyNames#ALL}, which configurations are checked against.
 */
public final class Proxies {
  /** The ten proxies the NAS literature compares, in the ranking table's column order. */
  public static final List<String> DEFAULT = List.of(
      "synflow", "snip", "grasp", "fisher", "grad_norm", "jacob_cov", "naswot", "zen", "flops", "params");

  /**
   * The modern proxies, registered after the ten and run only when named: ZiCo, MeCo, SWAP and its
   * parameter-regularised variant, and AZ-NAS's components (its complexity is {@code flops}).
   */
  public static final List<String> MODERN = List.of(
      "zico", "meco", "swap", "swap_reg", "az_expressivity", "az_progressivity", "az_trainability");

  private static final Map<String, ZeroCostProxy> REGISTRY = load();

  private Proxies() {}

  private static Map<String, ZeroCostProxy> load() {
    Map<String, ZeroCostProxy> m = new LinkedHashMap<>();
    for (ZeroCostProxy p : ServiceLoader.load(ZeroCostProxy.class, Proxies.class.getClassLoader())) {
      if (m.put(p.name(), p) != null) {
        throw new IllegalStateException("two proxies are named '" + p.name() + "'");
      }
    }
    return Collections.unmodifiableMap(m);
  }

  /** Every registered proxy name. */
  public static List<String> names() {
    return new ArrayList<>(REGISTRY.keySet());
  }

  /** The proxy named {@code name}; an error lists the valid names. */
  public static ZeroCostProxy byName(String name) {
    ZeroCostProxy p = REGISTRY.get(name);
    if (p == null) {
      throw new IllegalArgumentException(
          "unknown proxy '" + name + "'; valid proxies: " + String.join(", ", REGISTRY.keySet()));
    }
    return p;
  }

  /** The proxies named in {@code names}, in that order. */
  public static List<ZeroCostProxy> byNames(List<String> names) {
    List<ZeroCostProxy> out = new ArrayList<>();
    for (String n : names) {
      out.add(byName(n));
    }
    return out;
  }
}
