package org.rdnas.config;

import java.io.Serializable;

/**
 * The ranking table that job 2 reads ({@code rdnas.ranking}); see {@link RdnasConfig#rankingPath()}
 * for the default.
 *
 * @param path the table's path; "" when not set
 */
public record RankingConfig(String path) implements Serializable {
  static final Section<RankingConfig> SECTION = Section.of(RankingConfig.class, "rdnas.ranking",
      Key.optionalString("path"));

  public RankingConfig {
    path = path == null ? "" : path;
    SECTION.check(path).throwIfAny();
  }
}
