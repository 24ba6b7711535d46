package org.rdnas.config;

import java.io.Serializable;
import java.time.Duration;

/**
 * How each zero-cost proxy is computed ({@code rdnas.proxy}); which proxies run is
 * {@code rdnas.proxies}, see {@link ProxyNames}.
 *
 * @param batchSize images in the one minibatch every data-driven proxy sees
 * @param seed seed of weight initialisation and of the minibatch draw
 * @param timeout the longest one architecture may take for all its proxies
 * @param swapRegMu mu of swap_reg's parameter prior, in thousands of parameters
 * @param swapRegSigma sigma of swap_reg's parameter prior, in squared thousands of parameters
 */
public record ProxyConfig(int batchSize, long seed, Duration timeout, double swapRegMu,
    double swapRegSigma) implements Serializable {
  static final Section<ProxyConfig> SECTION = Section.of(ProxyConfig.class, "rdnas.proxy",
      // Batch statistics and the batch x batch kernels of NASWOT and jacob_cov need two images.
      Key.integer("batch-size", Key.atLeast(2)),
      Key.longInteger("seed"),
      Key.duration("timeout", (c, name, timeout) -> {
        if (timeout.isNegative() || timeout.isZero()) {
          c.fail(name, "must be longer than 0, got " + Durations.render(timeout));
        }
      }),
      Key.number("swap-reg-mu", Key.finiteAtLeast(0)),
      Key.number("swap-reg-sigma", Key.positive()));

  public ProxyConfig {
    SECTION.check(batchSize, seed, timeout, swapRegMu, swapRegSigma).throwIfAny();
  }
}
