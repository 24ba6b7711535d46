package org.rdnas.proxy;

/**
 * A zero-cost proxy: scores an untrained network from at most one minibatch. Implementations are
 * stateless, registered as services (see {@link Proxies}) and defined as PROXIES.md and the public
 * reference implementations define them. For every proxy a higher score predicts a better network.
 */
public interface ZeroCostProxy {
  /** The proxy's name, also its ranking-table column. */
  String name();

  /** Whether it reads the minibatch (images and labels); otherwise only the architecture. */
  boolean needsData();

  /** Whether it runs a backward pass. */
  boolean needsBackward();

  /** How many distinct minibatches it reads when it {@link #needsData() needs data}: 1, or 2 (ZiCo). */
  default int minibatches() {
    return 1;
  }

  /**
   * Whether it reads only {@link ProxyContext#model()}, so it scores archs of every search space;
   * false for a proxy defined on NAS-Bench-201's cells (its module tree, its benchmark convention).
   */
  default boolean architectureGeneric() {
    return false;
  }

  /** Whether a higher score predicts a more accurate network (true for every built-in proxy). */
  default boolean higherIsBetter() {
    return true;
  }

  /**
   * The score of {@code ctx}'s arch. Every array it makes lives in {@code ctx.scope()} or a scope under
   * it. May return NaN or an infinity, or throw; {@link ProxyScorer} turns those into a failed status.
   */
  double score(ProxyContext ctx);
}
