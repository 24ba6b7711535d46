package org.rdnas.data;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;

/** Test helpers: CIFAR-10 files written byte by byte, and the shared data directory. */
final class TestData {

  static final int RECORD = 3073;

  private TestData() {}

  /** Pixel byte of record {@code i} at planar position {@code p} (0..3071) in the files these tests write. */
  static int pixel(int i, int p) {
    return (i * 7 + p * 13) & 0xFF;
  }

  /** Writes {@code labels.length} records whose pixels follow {@link #pixel} (offset by {@code first}). */
  static Path writeCifar(Path file, int first, int... labels) throws IOException {
    byte[] bytes = new byte[labels.length * RECORD];
    for (int r = 0; r < labels.length; r++) {
      bytes[r * RECORD] = (byte) labels[r];
      for (int p = 0; p < 3072; p++) {
        bytes[r * RECORD + 1 + p] = (byte) pixel(first + r, p);
      }
    }
    return Files.write(file, bytes);
  }

  /** A dataset of {@code n} images following {@link #pixel}, labels {@code i % 10}. */
  static ImageDataset patterned(int n) {
    byte[] images = new byte[n * 3072];
    byte[] labels = new byte[n];
    for (int i = 0; i < n; i++) {
      labels[i] = (byte) (i % 10);
      for (int p = 0; p < 3072; p++) {
        images[i * 3072 + p] = (byte) pixel(i, p);
      }
    }
    return ImageDataset.of(images, labels, "patterned(" + n + ")");
  }

  /**
   * The shared data file {@code relative} (e.g. {@code cifar10/test_batch.bin}), located through the
   * {@code rdnas.shared.data} system property or {@code ../../shared/data} from the module; skips the
   * calling test when it is absent.
   */
  static Path sharedFile(String relative) {
    String prop = System.getProperty("rdnas.shared.data");
    Path fromProperty = prop == null || prop.isBlank() ? null : Paths.get(prop, relative);
    Path fallback = Paths.get("..", "..", "shared", "data", relative).toAbsolutePath().normalize();
    if (fromProperty != null && Files.isRegularFile(fromProperty)) {
      return fromProperty;
    }
    assumeTrue(Files.isRegularFile(fallback), "shared data file " + relative + " not found (looked in "
        + (fromProperty == null ? "" : fromProperty + " from -Drdnas.shared.data and ") + fallback
        + "); skipping the test that needs real data");
    return fallback;
  }
}
