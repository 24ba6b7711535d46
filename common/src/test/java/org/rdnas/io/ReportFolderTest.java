package org.rdnas.io;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;


import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rdnas.report.HtmlReport;

/** A report replaces the earlier one whole; one that fails leaves a warning and no report. */
class ReportFolderTest {
  private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G'};

  @TempDir Path out;

  private Optional<org.apache.hadoop.fs.Path> write(Supplier<HtmlReport> r) {
    return ReportFolder.writeOrWarn("test", new org.apache.hadoop.fs.Path(out.toUri()),
        new Configuration(), r);
  }

  private List<String> visible(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).filter(n -> !n.startsWith("."))
          .sorted().toList();
    }
  }

  @Test
  void aNewReportReplacesTheEarlierOneWhole() throws IOException {
    assertTrue(write(() -> HtmlReport.titled("first").image("old.png", PNG, "old")).isPresent());
    Optional<org.apache.hadoop.fs.Path> index =
        write(() -> HtmlReport.titled("second").image("new.png", PNG, "new"));
    assertEquals("index.html", index.orElseThrow().getName());
    Path dir = out.resolve(ReportFolder.DIR).resolve("test");
    assertEquals(List.of("index.html", "new.png"), visible(dir));
    assertArrayEquals(PNG, Files.readAllBytes(dir.resolve("new.png")));
    assertTrue(Files.readString(dir.resolve("index.html")).contains("second"));
    assertEquals(List.of(ReportFolder.DIR), visible(out));
  }

  @Test
  void aReportFolderHoldsNoChecksumSideFiles() throws IOException {
    write(() -> HtmlReport.titled("first").image("a.png", PNG, "a"));
    write(() -> HtmlReport.titled("second").image("b.png", PNG, "b"));
    try (Stream<Path> files = Files.walk(out)) {
      assertEquals(List.of(), files.map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".crc")).toList(), "Hadoop's .crc files under " + out);
    }
  }

  @Test
  void jobsSharingAnOutputFolderKeepTheirOwnReports() throws IOException {
    org.apache.hadoop.fs.Path root = new org.apache.hadoop.fs.Path(out.toUri());
    ReportFolder.writeOrWarn("proxy-scoring", root, new Configuration(),
        () -> HtmlReport.titled("scoring"));
    ReportFolder.writeOrWarn("distill-train", root, new Configuration(),
        () -> HtmlReport.titled("training"));
    Path reports = out.resolve(ReportFolder.DIR);
    assertEquals(List.of("distill-train", "proxy-scoring"), visible(reports));
    assertTrue(Files.readString(reports.resolve("proxy-scoring/index.html")).contains("scoring"));
  }

  @Test
  void aFailedReportIsAWarningAndLeavesNoStaleOne() throws IOException {
    write(() -> HtmlReport.titled("earlier run"));
    Files.writeString(out.resolve("table.parquet"), "the job's output");
    assertEquals(Optional.empty(), write(() -> {
      throw new NoClassDefFoundError("org/jfree/chart/JFreeChart");
    }));
    assertFalse(Files.exists(out.resolve(ReportFolder.DIR).resolve("test")));
    try (Stream<Path> files = Files.list(out)) {
      assertEquals(List.of("table.parquet"),
          files.map(p -> p.getFileName().toString()).toList(), "outputs kept, no temporary left");
    }
  }
}
