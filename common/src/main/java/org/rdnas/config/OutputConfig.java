package org.rdnas.config;

import java.io.Serializable;
import java.time.Duration;

/**
 * Where a run writes its tables, checkpoints and metadata ({@code rdnas.output}).
 *
 * @param path a Hadoop FileSystem path or local folder (file:, hdfs:, s3a: ...)
 * @param leaseTimeout how old the output lease's heartbeat may be before another job takes it over
 */
public record OutputConfig(String path, Duration leaseTimeout) implements Serializable {
  static final Section<OutputConfig> SECTION = Section.of(OutputConfig.class, "rdnas.output",
      Key.string("path", Key.notBlank()),
      Key.duration("lease-timeout", (c, name, timeout) -> {
        if (timeout.toMillis() < 1000) {
          c.fail(name, "must be at least 1s, got " + Durations.render(timeout));
        }
      }));

  public OutputConfig {
    SECTION.check(path, leaseTimeout).throwIfAny();
  }
}
