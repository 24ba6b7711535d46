package org.rdnas.config;

import java.io.Serializable;
import java.util.Optional;

/**
 * How the trained supernet's ranking is evaluated against ground truth ({@code rdnas.eval}).
 *
 * @param archs how many random subnets to evaluate
 * @param archsFile a file of arch strings to evaluate instead; "" when not set
 * @param seed seed of the subnet sample and of the bootstrap
 * @param bnRecalibration re-estimate BN statistics per subnet before testing (the authors use
 *     batch statistics)
 * @param bootstrap bootstrap resamples for confidence intervals; 0 skips them
 * @param topK k of precision@k; 0 means min(10, the archs evaluated), see {@link #topK(int)}
 * @param batchSize images per forward pass while evaluating
 */
public record EvalConfig(int archs, String archsFile, long seed, boolean bnRecalibration,
    int bootstrap, int topK, int batchSize) implements Serializable {
  static final Section<EvalConfig> SECTION = Section.of(EvalConfig.class, "rdnas.eval",
      Key.integer("archs", Key.atLeast(2)),
      Key.optionalString("archs-file"),
      Key.longInteger("seed"),
      Key.bool("bn-recalibration"),
      Key.integer("bootstrap", Key.atLeast(0)),
      Key.integer("top-k", Key.atLeast(0)),
      Key.integer("batch-size", Key.atLeast(1)));

  public EvalConfig {
    archsFile = archsFile == null ? "" : archsFile;
    Checks c = SECTION.check(archs, archsFile, seed, bnRecalibration, bootstrap, topK, batchSize);
    if (archsFile.isBlank() && c.passed("archs")) {
      c.notAbove("top-k", topK, "archs", archs);
    }
    c.throwIfAny();
  }

  /** k when {@code top-k} is 0: precision@10 unless fewer archs are evaluated. */
  public static final int DEFAULT_TOP_K = 10;

  /**
   * k of precision@k over {@code evaluated} archs: {@code top-k}, or min(10, evaluated) when that
   * is 0, so that a small {@code archs} works without also setting {@code top-k}.
   */
  public int topK(int evaluated) {
    return topK > 0 ? topK : Math.min(DEFAULT_TOP_K, evaluated);
  }

  /** The arch file, or empty when archs are sampled. */
  public Optional<String> archsFileIfSet() {
    return archsFile.isBlank() ? Optional.empty() : Optional.of(archsFile);
  }
}
