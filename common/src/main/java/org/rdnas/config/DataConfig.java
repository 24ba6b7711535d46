package org.rdnas.config;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;
import org.rdnas.data.DataSource;

/**
 * Which images the proxies and the supernet see ({@code rdnas.data}).
 *
 * @param source CIFAR-10 binary files, or seeded synthetic images (no download needed)
 * @param path CIFAR-10 binary batch file or folder; "" when not set (required for cifar10,
 *     ignored for synthetic)
 * @param limit use at most this many images; 0 means all
 * @param syntheticSize how many synthetic images to generate
 */
public record DataConfig(DataSource source, String path, int limit, int syntheticSize)
    implements Serializable {
  static final String PATH = "rdnas.data";

  public DataConfig {
    path = path == null ? "" : path;
    Checks c = Checks.section(PATH);
    c.notNull("source", source);
    if (source == DataSource.CIFAR10 && path.isBlank()) {
      c.fail("path", "must name the CIFAR-10 binary file or folder when " + PATH
          + ".source = cifar10");
    }
    c.atLeast("limit", limit, 0);
    c.atLeast("synthetic-size", syntheticSize, 1);
    c.throwIfAny();
  }

  static DataConfig read(SectionReader r) {
    return new DataConfig(r.parsed("source", DataSource::parse), r.optionalString("path"),
        r.integer("limit"), r.integer("synthetic-size"));
  }

  Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("source", source.configName());
    m.put("path", path);
    m.put("limit", limit);
    m.put("synthetic-size", syntheticSize);
    return m;
  }
}
