package org.rdnas.testing;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Locates the project's shared real data ({@code ../shared/data}); tests that need it skip with a
 * message naming the missing file, never pass silently.
 */
public final class SharedData {
  private SharedData() {}

  /** The shared data folder: system property {@code rdnas.shared.data}, else {@code ../../shared/data}. */
  public static Path root() {
    String p = System.getProperty("rdnas.shared.data");
    return p != null ? Path.of(p) : Path.of("..", "..", "shared", "data");
  }

  /** {@code relative} under the shared data folder; skips the calling test when it is absent. */
  public static Path require(String relative) {
    Path p = root().resolve(relative).normalize();
    assumeTrue(Files.isReadable(p), () -> "skipped: shared data file " + p + " is absent");
    return p;
  }
}
