package org.rdnas.config;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Where a run writes its tables, checkpoints and metadata ({@code rdnas.output}).
 *
 * @param path a Hadoop FileSystem path or local folder (file:, hdfs:, s3a: ...)
 */
public record OutputConfig(String path) implements Serializable {
  static final String PATH = "rdnas.output";

  public OutputConfig {
    Checks c = Checks.section(PATH);
    c.notBlank("path", path);
    c.throwIfAny();
  }

  static OutputConfig read(SectionReader r) {
    return new OutputConfig(r.string("path"));
  }

  Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("path", path);
    return m;
  }
}
