package org.rdnas.data;

import java.io.IOException;
import java.util.Objects;
import org.apache.hadoop.conf.Configuration;

/**
 * The one entry point that turns a data source, path, limit, seed (and, for image folders, an image
 * size) into an {@link ImageDataset}.
 */
public final class Datasets {

  private Datasets() {}

  /** The image side {@code rdnas.data.image-size} defaults to; image folders only. */
  public static final int DEFAULT_IMAGE_SIZE = 32;

  /** As {@link #load(DataSource, String, Cifar10.Part, int, long, Configuration)} reading all CIFAR-10 files. */
  public static ImageDataset load(DataSource source, String path, int limit, long seed) throws IOException {
    return load(source, path, Cifar10.Part.ALL, limit, seed, new Configuration());
  }

  /** As {@link #load(DataSource, String, Cifar10.Part, int, long, int, Configuration)} at {@link #DEFAULT_IMAGE_SIZE}. */
  public static ImageDataset load(DataSource source, String path, Cifar10.Part part, int limit, long seed,
      Configuration conf) throws IOException {
    return load(source, path, part, limit, seed, DEFAULT_IMAGE_SIZE, conf);
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
   *   <li>{@link DataSource#IMAGE_FOLDER}: the class sub-folders of the folder {@code path} read as
   *       {@link ImageFolder#read} does, as {@code imageSize} px images; all of them when
   *       {@code limit} is {@link Cifar10#NO_LIMIT} (or at least their number), else a uniform
   *       sample of {@code limit} drawn with {@code seed}, kept in (class, file name) order;
   *       {@code part} must be {@code ALL}.
   * </ul>
   *
   * <p>{@code imageSize} is used by image folders only: CIFAR-10 and the synthetic images are
   * always 32 px.
   */
  public static ImageDataset load(DataSource source, String path, Cifar10.Part part, int limit, long seed,
      int imageSize, Configuration conf) throws IOException {
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
      case IMAGE_FOLDER -> {
        if (path == null || path.isBlank()) {
          throw new IllegalArgumentException("image-folder needs a path to a folder of class sub-folders");
        }
        if (part != Cifar10.Part.ALL) {
          throw new IllegalArgumentException("an image folder has no " + part
              + " files; load ALL and hold images out with ImageDataset.split");
        }
        yield ImageFolder.read(path, imageSize, limit, seed, Objects.requireNonNull(conf, "conf"));
      }
    };
  }
}
