package org.rdnas.spark;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;


import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.rdnas.io.ReportFolder;
import org.rdnas.report.Charts;

/** Checks of a job's {@code report/} folder, shared by the end-to-end job tests. */
public final class ReportAssertions {
  private ReportAssertions() {}

  /**
   * Asserts that {@code <output>/report/<job>/index.html} exists, that every image it references is a
   * PNG of the reports' size next to it, and that the images are those named {@code expected}
   * (none, and a line saying why, where charts cannot be drawn). Returns the page.
   */
  public static String assertReport(Path output, String job, List<String> expected)
      throws IOException {
    Path dir = output.resolve(ReportFolder.DIR).resolve(job);
    Path index = dir.resolve("index.html");
    assertTrue(Files.isRegularFile(index), index + " exists");
    String html = Files.readString(index);
    List<String> sources = Pattern.compile("<img src=\"([^\"]*)\"").matcher(html).results()
        .map(m -> m.group(1)).toList();
    for (String src : sources) {
      BufferedImage img = ImageIO.read(dir.resolve(src).toFile());
      assertNotNull(img, src + " is a readable image");
      assertEquals(Charts.WIDTH, img.getWidth(), src);
      assertEquals(Charts.HEIGHT, img.getHeight(), src);
    }
    if (Charts.unavailable().isEmpty()) {
      assertEquals(expected, sources);
    } else {
      assertEquals(List.of(), sources);
      assertTrue(html.contains("not drawn: "), html);
    }
    assertTrue(html.contains("resolved configuration"), "provenance section");
    try (var files = Files.list(output)) {
      assertFalse(files.anyMatch(f -> f.getFileName().toString().startsWith(".report-")),
          "no temporary report folder left");
    }
    return html;
  }
}
