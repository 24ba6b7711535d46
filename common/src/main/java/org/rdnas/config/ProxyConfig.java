package org.rdnas.config;

import static org.rdnas.config.Key.atLeast;
import static org.rdnas.config.Key.duration;
import static org.rdnas.config.Key.integer;
import static org.rdnas.config.Key.longInteger;

import java.io.Serializable;
import java.time.Duration;

/**
 * How each zero-cost proxy is computed ({@code rdnas.proxy}); which proxies run is
 * {@code rdnas.proxies}, see {@link ProxyNames}.
 *
 * @param batchSize images in the one minibatch every data-driven proxy sees
 * @param seed seed of weight initialisation and of the minibatch draw
 * @param timeout the longest one architecture may take for all its proxies
 */
public record ProxyConfig(int batchSize, long seed, Duration timeout) implements Serializable {
  static final Section<ProxyConfig> SECTION = Section.of(ProxyConfig.class, "rdnas.proxy",
      // Batch statistics and the batch x batch kernels of NASWOT and jacob_cov need two images.
      integer("batch-size", atLeast(2)),
      longInteger("seed"),
      duration("timeout", (c, name, timeout) -> {
        if (timeout.isNegative() || timeout.isZero()) {
          c.fail(name, "must be longer than 0, got " + Durations.render(timeout));
        }
      }));

  public ProxyConfig {
    SECTION.check(batchSize, seed, timeout).throwIfAny();
  }
}
