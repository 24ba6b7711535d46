package org.rdnas.data;

import java.io.IOException;
import java.util.Objects;
import org.apache.hadoop.conf.Configuration;

/** The one entry point that turns a data source, path, limit and seed into an {@link ImageDataset}. */
public final class Datasets {

  private Datasets() {}

  /** As {@link #load(DataSource, String, Cifar10.Part, int, long, Configuration)} reading all CIFAR-10 files. */
  public static ImageDataset load(DataSource source, String path, int limit, long seed) throws IOException {
    return load(source, path, Cifar10.Part.ALL, limit, seed, new Configuration());
  }

  /**
   * Loads a dataset.
   *
   * <ul>
   *   <li>{@link DataSource#CIFAR10}: at most {@code limit} records ({@link Cifar10#NO_LIMIT} for all)
   *       of the file or directory {@code path}, read as {@link Cifar10#read} does; {@code seed} is
   *       not used.
   *   <li>{@link DataSource#SYNTHETIC}: {@code limit} images of {@link SyntheticImages#standard()}
   *       drawn with {@code seed}; {@code path} must be null or blank and {@code part} {@code ALL}
   *       (hold images out with {@link ImageDataset#split}).
   * </ul>
   */
  public static ImageDataset load(DataSource source, String path, Cifar10.Part part, int limit, long seed,
      Configuration conf) throws IOException {
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(part, "part");
    return switch (source) {
      case CIFAR10 -> {
        if (path == null || path.isBlank()) {
          throw new IllegalArgumentException("cifar10 needs a path to a batch file or directory");
        }
        yield Cifar10.read(path, part, limit, Objects.requireNonNull(conf, "conf"));
      }
      case SYNTHETIC -> {
        if (path != null && !path.isBlank()) {
          throw new IllegalArgumentException("synthetic data is generated and takes no path, got '" + path + "'");
        }
        if (part != Cifar10.Part.ALL) {
          throw new IllegalArgumentException("synthetic data has no " + part
              + " files; load ALL and hold images out with ImageDataset.split");
        }
        if (limit == Cifar10.NO_LIMIT) {
          throw new IllegalArgumentException("synthetic data needs a finite image count as limit");
        }
        yield SyntheticImages.standard().generate(limit, seed);
      }
    };
  }
}
