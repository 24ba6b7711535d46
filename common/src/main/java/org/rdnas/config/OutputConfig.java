package org.rdnas.config;

import java.io.Serializable;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where a run writes its tables, checkpoints and metadata ({@code rdnas.output}).
 *
 * @param path a Hadoop FileSystem path or local folder (file:, hdfs:, s3a: ...)
 * @param leaseTimeout how old the output lease's heartbeat may be before another job takes it over
 */
public record OutputConfig(String path, Duration leaseTimeout) implements Serializable {
  static final String PATH = "rdnas.output";

  public OutputConfig {
    Checks c = Checks.section(PATH);
    c.notBlank("path", path);
    if (c.notNull("lease-timeout", leaseTimeout) && leaseTimeout.toMillis() < 1000) {
      c.fail("lease-timeout", "must be at least 1s, got " + Durations.render(leaseTimeout));
    }
    c.throwIfAny();
  }

  static OutputConfig read(SectionReader r) {
    return new OutputConfig(r.string("path"), r.duration("lease-timeout"));
  }

  Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("path", path);
    m.put("lease-timeout", Durations.render(leaseTimeout));
    return m;
  }
}
