package org.rdnas.io;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.json.JsonMapper;

/** The JSON form of rdnas's output records: snake-case names from record components. */
public final class Json {
  /** Writes and reads the output records ({@link RunProvenance}, the training summary). */
  public static final ObjectMapper MAPPER = JsonMapper.builder()
      .propertyNamingStrategy(PropertyNamingStrategies.SNAKE_CASE)
      // Readers of older outputs skip fields added since; the writers' tests pin the layout.
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .build();

  private Json() {}

  /** {@code v}, or null when it is not finite: JSON has no NaN, and readers treat null as "none". */
  public static Double finite(double v) {
    return Double.isFinite(v) ? v : null;
  }
}
