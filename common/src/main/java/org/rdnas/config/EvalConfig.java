package org.rdnas.config;

import static org.rdnas.config.Key.atLeast;
import static org.rdnas.config.Key.bool;
import static org.rdnas.config.Key.integer;
import static org.rdnas.config.Key.longInteger;
import static org.rdnas.config.Key.optionalString;

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
 * @param topK k of precision@k
 * @param batchSize images per forward pass while evaluating
 */
public record EvalConfig(int archs, String archsFile, long seed, boolean bnRecalibration,
    int bootstrap, int topK, int batchSize) implements Serializable {
  static final Section<EvalConfig> SECTION = Section.of(EvalConfig.class, "rdnas.eval",
      integer("archs", atLeast(2)),
      optionalString("archs-file"),
      longInteger("seed"),
      bool("bn-recalibration"),
      integer("bootstrap", atLeast(0)),
      integer("top-k", atLeast(1)),
      integer("batch-size", atLeast(1)));

  public EvalConfig {
    archsFile = archsFile == null ? "" : archsFile;
    Checks c = SECTION.check(archs, archsFile, seed, bnRecalibration, bootstrap, topK, batchSize);
    if (archsFile.isBlank() && c.passed("archs")) {
      c.notAbove("top-k", topK, "archs", archs);
    }
    c.throwIfAny();
  }

  /** The arch file, or empty when archs are sampled. */
  public Optional<String> archsFileIfSet() {
    return archsFile.isBlank() ? Optional.empty() : Optional.of(archsFile);
  }
}
