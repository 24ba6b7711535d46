package org.rdnas.config;

import java.io.Serializable;

/**
 * Which architectures job 1 scores ({@code rdnas.candidates}).
 *
 * @param mode the whole space, a seeded random sample, a file of arch codes, or a seeded sample of
 *     such a file
 * @param sampleSize how many distinct archs a sample draws (modes sample and file-sample)
 * @param seed the sample's seed
 * @param file a file of arch codes; "" when not set (required for modes file and file-sample)
 */
public record CandidatesConfig(Mode mode, int sampleSize, long seed, String file)
    implements Serializable {
  static final Section<CandidatesConfig> SECTION = Section.of(CandidatesConfig.class,
      "rdnas.candidates",
      Key.choice("mode", Mode.class),
      Key.integer("sample-size", Key.atLeast(1)),
      Key.longInteger("seed"),
      Key.optionalString("file"));

  /** How the candidate set is formed. */
  public enum Mode implements ConfigEnum { ALL, SAMPLE, FILE, FILE_SAMPLE }

  public CandidatesConfig {
    file = file == null ? "" : file;
    Checks c = SECTION.check(mode, sampleSize, seed, file);
    if ((mode == Mode.FILE || mode == Mode.FILE_SAMPLE) && file.isBlank()) {
      c.fail("file", "must name a file of arch codes when " + c.key("mode") + " = "
          + mode.configName());
    }
    c.throwIfAny();
  }
}
