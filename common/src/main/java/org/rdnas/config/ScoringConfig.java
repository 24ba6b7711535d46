package org.rdnas.config;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How job 1 distributes the scoring ({@code rdnas.scoring}).
 *
 * @param resume skip architectures already present in the output's ranking table
 * @param partitions Spark partitions of the candidate list; 0 lets the job choose
 */
public record ScoringConfig(boolean resume, int partitions) implements Serializable {
  static final String PATH = "rdnas.scoring";

  public ScoringConfig {
    Checks c = Checks.section(PATH);
    c.atLeast("partitions", partitions, 0);
    c.throwIfAny();
  }

  static ScoringConfig read(SectionReader r) {
    return new ScoringConfig(r.bool("resume"), r.integer("partitions"));
  }

  Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("resume", resume);
    m.put("partitions", partitions);
    return m;
  }
}
