package org.rdnas.config;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

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
  static final String PATH = "rdnas.candidates";

  /** How the candidate set is formed. */
  public enum Mode implements ConfigEnum { ALL, SAMPLE, FILE }

  public CandidatesConfig {
    file = file == null ? "" : file;
    Checks c = Checks.section(PATH);
    c.notNull("mode", mode);
    c.atLeast("sample-size", sampleSize, 1);
    if (mode == Mode.FILE && file.isBlank()) {
      c.fail("file", "must name a file of arch strings when " + PATH + ".mode = file");
    }
    c.throwIfAny();
  }

  static CandidatesConfig read(SectionReader r) {
    return new CandidatesConfig(r.choice("mode", Mode.class), r.integer("sample-size"),
        r.longInteger("seed"), r.optionalString("file"));
  }

  Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("mode", mode.configName());
    m.put("sample-size", sampleSize);
    m.put("seed", seed);
    m.put("file", file);
    return m;
  }
}
