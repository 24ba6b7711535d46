package org.rdnas.config;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The benchmark accuracies rankings are judged against ({@code rdnas.ground-truth}).
 *
 * @param path a CSV keyed by arch_str (such as NAS-Bench-201's); "" when not set
 * @param column the accuracy column to correlate with
 */
public record GroundTruthConfig(String path, String column) implements Serializable {
  static final String PATH = "rdnas.ground-truth";

  public GroundTruthConfig {
    path = path == null ? "" : path;
    Checks c = Checks.section(PATH);
    c.notBlank("column", column);
    c.throwIfAny();
  }

  /** The path, or empty when no ground truth is configured. */
  public Optional<String> pathIfSet() {
    return path.isBlank() ? Optional.empty() : Optional.of(path);
  }

  static GroundTruthConfig read(SectionReader r) {
    return new GroundTruthConfig(r.optionalString("path"), r.string("column"));
  }

  Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("path", path);
    m.put("column", column);
    return m;
  }
}
