package org.rdnas.data;

import java.util.Arrays;
import java.util.Locale;
import java.util.Objects;

/**
 * Where images come from: CIFAR-10 binary batches, the generated {@link SyntheticImages}, or a
 * folder of JPEG and PNG files with one sub-folder per class ({@link ImageFolder}).
 */
public enum DataSource {
  /** CIFAR-10 batch files read by {@link Cifar10}; named {@code cifar10} in configuration. */
  CIFAR10,
  /** Images made by {@link SyntheticImages#standard()}; named {@code synthetic} in configuration. */
  SYNTHETIC,
  /**
   * JPEG and PNG files in one sub-folder per class (the ImageNet / torchvision {@code ImageFolder}
   * layout) read by {@link ImageFolder}; named {@code image-folder} in configuration.
   */
  IMAGE_FOLDER;

  /** The configuration name, e.g. {@code cifar10} or {@code image-folder}. */
  public String configName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** The source named {@code name} ({@code cifar10}, {@code synthetic} or {@code image-folder}, any case). */
  public static DataSource parse(String name) {
    Objects.requireNonNull(name, "name");
    for (DataSource s : values()) {
      if (s.configName().equalsIgnoreCase(name.trim())) {
        return s;
      }
    }
    throw new IllegalArgumentException("unknown data source '" + name + "'; expected one of "
        + Arrays.stream(values()).map(DataSource::configName).toList());
  }
}
