package org.rdnas.config;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The ranking table that job 2 reads ({@code rdnas.ranking}); see {@link RdnasConfig#rankingPath()}
 * for the default.
 *
 * @param path the table's path; "" when not set
 */
public record RankingConfig(String path) implements Serializable {
  static final String PATH = "rdnas.ranking";

  public RankingConfig {
    path = path == null ? "" : path;
  }

  static RankingConfig read(SectionReader r) {
    return new RankingConfig(r.optionalString("path"));
  }

  Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("path", path);
    return m;
  }
}
