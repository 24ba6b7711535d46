package org.rdnas.config;

import java.io.Serializable;
import java.util.Optional;

/**
 * The benchmark accuracies rankings are judged against ({@code rdnas.ground-truth}).
 *
 * @param path a CSV keyed by arch_str (such as NAS-Bench-201's); "" when not set
 * @param column the accuracy column to correlate with
 */
public record GroundTruthConfig(String path, String column) implements Serializable {
  static final Section<GroundTruthConfig> SECTION = Section.of(GroundTruthConfig.class,
      "rdnas.ground-truth",
      Key.optionalString("path"),
      Key.string("column", Key.notBlank()));

  public GroundTruthConfig {
    path = path == null ? "" : path;
    SECTION.check(path, column).throwIfAny();
  }

  /** The path, or empty when no ground truth is configured. */
  public Optional<String> pathIfSet() {
    return path.isBlank() ? Optional.empty() : Optional.of(path);
  }
}
