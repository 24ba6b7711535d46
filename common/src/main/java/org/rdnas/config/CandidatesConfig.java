package org.rdnas.config;

import java.io.Serializable;

/**
 * Which architectures job 1 scores ({@code rdnas.candidates}).
 *
 * @param mode the whole space, a seeded random sample, or a file of arch strings
 * @param sampleSize how many distinct archs a sample draws
 * @param seed the sample's seed
 * @param file a file of arch strings, one a line; "" when not set (required for mode file)
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
  public enum Mode implements ConfigEnum { ALL, SAMPLE, FILE }

  public CandidatesConfig {
    file = file == null ? "" : file;
    Checks c = SECTION.check(mode, sampleSize, seed, file);
    if (mode == Mode.FILE && file.isBlank()) {
      c.fail("file", "must name a file of arch strings when " + c.key("mode") + " = file");
    }
    c.throwIfAny();
  }
}
