package org.rdnas.config;

import java.io.Serializable;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * How each zero-cost proxy is computed ({@code rdnas.proxy}); which proxies run is
 * {@code rdnas.proxies}, see {@link #KNOWN_PROXIES}.
 *
 * @param batchSize images in the one minibatch every data-driven proxy sees
 * @param seed seed of weight initialisation and of the minibatch draw
 * @param timeout the longest one architecture may take for all its proxies
 */
public record ProxyConfig(int batchSize, long seed, Duration timeout) implements Serializable {
  static final String PATH = "rdnas.proxy";

  /** The ten proxies this project computes, by their ranking-table column names. */
  public static final List<String> KNOWN_PROXIES = List.of("synflow", "snip", "grasp", "fisher",
      "grad_norm", "jacob_cov", "naswot", "zen", "flops", "params");

  public ProxyConfig {
    Checks c = Checks.section(PATH);
    c.atLeast("batch-size", batchSize, 1);
    if (c.notNull("timeout", timeout) && (timeout.isNegative() || timeout.isZero())) {
      c.fail("timeout", "must be longer than 0, got " + Durations.render(timeout));
    }
    c.throwIfAny();
  }

  static ProxyConfig read(SectionReader r) {
    return new ProxyConfig(r.integer("batch-size"), r.longInteger("seed"), r.duration("timeout"));
  }

  Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("batch-size", batchSize);
    m.put("seed", seed);
    m.put("timeout", Durations.render(timeout));
    return m;
  }
}
