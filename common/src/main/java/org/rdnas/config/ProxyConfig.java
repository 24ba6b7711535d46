package org.rdnas.config;

import java.io.Serializable;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How each zero-cost proxy is computed ({@code rdnas.proxy}); which proxies run is
 * {@code rdnas.proxies}, see {@link org.rdnas.proxy.Proxies}.
 *
 * @param batchSize images in the one minibatch every data-driven proxy sees
 * @param seed seed of weight initialisation and of the minibatch draw
 * @param timeout the longest one architecture may take for all its proxies
 */
public record ProxyConfig(int batchSize, long seed, Duration timeout) implements Serializable {
  static final String PATH = "rdnas.proxy";

  public ProxyConfig {
    Checks c = Checks.section(PATH);
    // Batch statistics and the batch x batch kernels of NASWOT and jacob_cov need two images.
    c.atLeast("batch-size", batchSize, 2);
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
