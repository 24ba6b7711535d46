package org.rdnas.config;

import java.io.Serializable;

/**
 * How job 1 distributes the scoring ({@code rdnas.scoring}).
 *
 * @param resume skip architectures already present in the output's ranking table
 * @param partitions Spark partitions of the candidate list; 0 lets the job choose
 */
public record ScoringConfig(boolean resume, int partitions) implements Serializable {
  static final Section<ScoringConfig> SECTION = Section.of(ScoringConfig.class, "rdnas.scoring",
      Key.bool("resume"),
      Key.integer("partitions", Key.atLeast(0)));

  public ScoringConfig {
    SECTION.check(resume, partitions).throwIfAny();
  }
}
