package org.rdnas.config;

import java.io.Serializable;
import org.rdnas.data.Cifar10;
import org.rdnas.data.DataSource;
import org.rdnas.data.Datasets;

/**
 * Which images the proxies and the supernet see ({@code rdnas.data}).
 *
 * @param source CIFAR-10 binary files, seeded synthetic images (no download needed), or a folder
 *     of JPEG/PNG files with one sub-folder per class ({@code image-folder})
 * @param path CIFAR-10 binary batch file or folder, or the image folder's root; "" when not set
 *     (required for cifar10 and image-folder, ignored for synthetic)
 * @param limit use at most this many images; 0 means all (image-folder: a uniform sample of this
 *     many files, seeded, in (class, file name) order)
 * @param syntheticSize how many synthetic images to generate
 * @param imageSize image-folder only: the side in pixels images are resized and centre-cropped to
 */
public record DataConfig(DataSource source, String path, int limit, int syntheticSize, int imageSize)
    implements Serializable {
  static final Section<DataConfig> SECTION = Section.of(DataConfig.class, "rdnas.data",
      Key.parsed("source", DataSource.class, DataSource::parse, DataSource::configName),
      Key.optionalString("path"),
      Key.integer("limit", Key.atLeast(0)),
      Key.integer("synthetic-size", Key.atLeast(1)),
      Key.integer("image-size", Key.atLeast(1)));

  /** Settings with the default image size (32), which only image folders use. */
  public DataConfig(DataSource source, String path, int limit, int syntheticSize) {
    this(source, path, limit, syntheticSize, Datasets.DEFAULT_IMAGE_SIZE);
  }

  public DataConfig {
    path = path == null ? "" : path;
    Checks c = SECTION.check(source, path, limit, syntheticSize, imageSize);
    if (source == DataSource.CIFAR10 && path.isBlank()) {
      c.fail("path", "must name the CIFAR-10 binary file or folder when " + c.key("source")
          + " = cifar10");
    }
    if (source == DataSource.IMAGE_FOLDER && path.isBlank()) {
      c.fail("path", "must name the folder that holds one sub-folder of images per class when "
          + c.key("source") + " = image-folder");
    }
    c.throwIfAny();
  }

  /**
   * The side in pixels of the images this source gives: {@link #imageSize()} for an image folder,
   * 32 for CIFAR-10 and the synthetic images.
   */
  public int imageSide() {
    return source == DataSource.IMAGE_FOLDER ? imageSize : Cifar10.SIDE;
  }
}
