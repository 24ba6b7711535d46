package org.rdnas.report;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.awt.GraphicsEnvironment;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every chart kind renders headless to a PNG of the requested size, NaN and empty inputs too.
 * Skipped, with the reason, on a machine without fonts (where reports leave the plots out).
 */
class ChartsTest {
  private static final double[] X = {0, 1, 2, 3, 4};

  @BeforeAll
  static void needsFonts() {
    assumeTrue(Charts.unavailable().isEmpty(), () -> "charts cannot be drawn here: "
        + Charts.unavailable().orElseThrow());
  }

  /** The PNG decoded, after checking its size and that it is not one flat colour. */
  static BufferedImage decode(byte[] png, int width, int height) throws IOException {
    BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
    assertNotNull(img, "not a readable image");
    assertEquals(width, img.getWidth());
    assertEquals(height, img.getHeight());
    int first = img.getRGB(0, 0);
    boolean drawn = false;
    for (int y = 0; y < height && !drawn; y += 3) {
      for (int x = 0; x < width && !drawn; x += 3) {
        drawn = img.getRGB(x, y) != first;
      }
    }
    assertTrue(drawn, "a blank image");
    return img;
  }

  @Test
  void everyKindRendersHeadlessAtTheRequestedSize() throws IOException {
    byte[] line = Charts.line("losses", "step", "loss", List.of(
        Charts.Series.of("ce", X, new double[] {2.3, 2.2, Double.NaN, 2.0, 1.9}),
        new Charts.Series("tau", X, new double[] {0.1, 0.2, 0.3, 0.4, 0.5},
            new double[] {0, 0.1, Double.NaN, 0.3, 0.4}, new double[] {0.2, 0.3, 0.4, 0.5, 0.6})),
        640, 360);
    assertTrue(GraphicsEnvironment.isHeadless());
    decode(line, 640, 360);
    decode(Charts.scatter("acc", "truth", "supernet", X, new double[] {1, 3, 2, 5, 4}, 300, 200),
        300, 200);
    decode(Charts.histogram("synflow", "value", new double[] {1, 2, 2, 3, Double.NaN}, 10,
        Charts.WIDTH, Charts.HEIGHT), Charts.WIDTH, Charts.HEIGHT);
    Map<String, double[]> tau = new LinkedHashMap<>();
    tau.put("Kendall tau-b", new double[] {0.5, Double.NaN, -0.2});
    tau.put("Spearman", new double[] {0.7, 0.1, -0.3});
    decode(Charts.bars("correlation", "coefficient", List.of("synflow", "jacob_cov", "zen"), tau,
        500, 400), 500, 400);
  }

  @Test
  void emptyAndConstantInputsStillRender() throws IOException {
    decode(Charts.histogram("none", "value", new double[] {Double.NaN}, 10, 200, 100), 200, 100);
    decode(Charts.histogram("one", "value", new double[] {3, 3, 3}, 10, 200, 100), 200, 100);
    decode(Charts.scatter("none", "x", "y", new double[0], new double[0], 200, 100), 200, 100);
    decode(Charts.line("none", "x", "y", List.of(), 200, 100), 200, 100);
  }

  @Test
  void sameInputsGiveTheSameBytes() {
    double[] v = {1, 5, 2, 8, 3};
    assertArrayEquals(Charts.histogram("h", "v", v, 4, 300, 200),
        Charts.histogram("h", "v", v, 4, 300, 200));
  }

  @Test
  void mismatchedInputsAreRefused() {
    assertThrows(IllegalArgumentException.class, () -> Charts.Series.of("s", X, new double[2]));
    assertThrows(IllegalArgumentException.class,
        () -> Charts.scatter("s", "x", "y", X, new double[2], 100, 100));
    assertThrows(IllegalArgumentException.class, () -> Charts.bars("b", "v", List.of("a"),
        Map.of("s", new double[2]), 100, 100));
    assertThrows(IllegalArgumentException.class,
        () -> Charts.histogram("h", "v", X, 4, 0, 100));
  }
}
