package org.rdnas.config;

import java.io.Serializable;
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
  static final Section<DataConfig> SECTION = Section.of(DataConfig.class, "rdnas.data",
      Key.parsed("source", DataSource.class, DataSource::parse, DataSource::configName),
      Key.optionalString("path"),
      Key.integer("limit", Key.atLeast(0)),
      Key.integer("synthetic-size", Key.atLeast(1)));

  public DataConfig {
    path = path == null ? "" : path;
    Checks c = SECTION.check(source, path, limit, syntheticSize);
    if (source == DataSource.CIFAR10 && path.isBlank()) {
      c.fail("path", "must name the CIFAR-10 binary file or folder when " + c.key("source")
          + " = cifar10");
    }
    c.throwIfAny();
  }
}
