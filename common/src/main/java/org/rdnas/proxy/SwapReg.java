package org.rdnas.proxy;

/**
 * Parameter-regularised SWAP (the authors' {@code cal_regular_factor}): SWAP x exp(-(P - mu)^2 /
 * sigma), P the arch's parameter count in thousands in the benchmark's convention, mu and sigma the
 * context's ({@code rdnas.proxy.swap-reg-mu}, {@code swap-reg-sigma}). The authors give no
 * NAS-Bench-201 values for them; the defaults MU = 1500 and SIGMA = 1.5e6 (1.5 and 1.5 with P in
 * millions) are those of public copies of their code, as PROXIES.md records.
 */
public final class SwapReg extends AbstractProxy {
  /** Centre of the parameter prior, in thousands of parameters. */
  public static final double MU = 1500;
  /** Width of the parameter prior, in squared thousands of parameters. */
  public static final double SIGMA = 1.5e6;

  public SwapReg() {
    super("swap_reg", true, false);
  }

  @Override
  public double score(ProxyContext ctx) {
    return Swap.counts(ctx).mean() * factor(ctx);
  }

  /** exp(-(P - MU)^2 / SIGMA) for the context's arch. */
  static double factor(ProxyContext ctx) {
    double p = ctx.benchmarkNetwork().parameterCount(ctx.arch()) / 1e3;
    double mu = ctx.swapRegMu();
    return Math.exp(-(p - mu) * (p - mu) / ctx.swapRegSigma());
  }
}
