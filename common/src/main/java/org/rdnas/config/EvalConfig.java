package org.rdnas.config;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;
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
  static final String PATH = "rdnas.eval";

  public EvalConfig {
    archsFile = archsFile == null ? "" : archsFile;
    Checks c = Checks.section(PATH);
    c.atLeast("archs", archs, 2);
    c.atLeast("bootstrap", bootstrap, 0);
    c.atLeast("top-k", topK, 1);
    if (archsFile.isBlank() && archs >= 2 && topK > archs) {
      c.fail("top-k", "must not exceed " + PATH + ".archs (" + archs + "), got " + topK);
    }
    c.atLeast("batch-size", batchSize, 1);
    c.throwIfAny();
  }

  /** The arch file, or empty when archs are sampled. */
  public Optional<String> archsFileIfSet() {
    return archsFile.isBlank() ? Optional.empty() : Optional.of(archsFile);
  }

  static EvalConfig read(SectionReader r) {
    return new EvalConfig(r.integer("archs"), r.optionalString("archs-file"),
        r.longInteger("seed"), r.bool("bn-recalibration"), r.integer("bootstrap"),
        r.integer("top-k"), r.integer("batch-size"));
  }

  Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("archs", archs);
    m.put("archs-file", archsFile);
    m.put("seed", seed);
    m.put("bn-recalibration", bnRecalibration);
    m.put("bootstrap", bootstrap);
    m.put("top-k", topK);
    m.put("batch-size", batchSize);
    return m;
  }
}
