package org.rdnas.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rdnas.experiment.ExperimentReport.Gain;
import org.rdnas.experiment.ExperimentRuns.Arm;
import org.rdnas.benchmark.Nb201Table;
import org.rdnas.report.Charts;
import org.rdnas.space.Arch;
import org.rdnas.space.Nb201Space;
import org.rdnas.train.Search;

class ExperimentReportTest {
  private static final List<String> ORDER = List.of("spos", "rdnas-flops", "spos-2x");

  @TempDir
  Path dir;

  /** A summary.json as job 2 writes it, reduced to the fields the report reads. */
  private void summary(String arm, long seed, String mode, int epochs, String teacher,
      double... roundTaus) throws IOException {
    StringBuilder rounds = new StringBuilder();
    for (int i = 0; i < roundTaus.length; i++) {
      rounds.append(i == 0 ? "" : ",").append(String.format(Locale.ROOT,
          "{\"round\":%d,\"step\":%d,\"epoch\":%d,\"supernet_vs_ground_truth\":{\"n\":100,"
              + "\"kendall_tau_b\":{\"estimate\":%s,\"ci95_lower\":-1,\"ci95_upper\":1},"
              + "\"spearman\":%s,\"precision_at_k\":0.2}}",
          i, 100L * (i + 1), epochs * (i + 1) / roundTaus.length, roundTaus[i], roundTaus[i]));
    }
    String baselines = mode.equals("rdnas")
        ? ",\"baselines_vs_ground_truth\":{\"teacher\":{\"kendall_tau_b\":{\"estimate\":0.55}},"
            + "\"flops\":{\"kendall_tau_b\":{\"estimate\":0.55}},"
            + "\"naswot\":{\"kendall_tau_b\":{\"estimate\":0.6}}}"
        : "";
    String json = "{\"mode\":\"" + mode + "\",\"wall_seconds\":60,\"throughput\":"
        + "{\"images_per_second\":400},\"training\":{\"epochs\":" + epochs + "},"
        + "\"ranking_table\":{\"teacher\":[\"" + teacher + "\"]},"
        + "\"evaluation\":{\"rounds\":[" + rounds + "]" + baselines + "}}";
    Path p = dir.resolve("runs").resolve(arm).resolve("seed-" + seed).resolve("summary.json");
    Files.createDirectories(p.getParent());
    Files.writeString(p, json);
  }

  private void standardRuns() throws IOException {
    double[] spos = {0.10, 0.20, 0.30};
    double[] rd = {0.40, 0.40, 0.70};
    double[] spos2 = {0.25, 0.35, 0.30};
    for (int s = 0; s < 3; s++) {
      summary("spos", s, "spos", 4, "flops", -0.2, spos[s]);
      summary("rdnas-flops", s, "rdnas", 4, "flops", 0.1, rd[s]);
      summary("spos-2x", s, "spos", 8, "flops", 0.0, spos2[s]);
    }
  }

  @Test
  void gainsArePairedBySeedAtEqualEpochsAndAtEqualCompute() throws IOException {
    standardRuns();
    List<Arm> arms = ExperimentRuns.read(dir.resolve("runs"), ORDER, null);
    assertEquals(List.of("spos", "rdnas-flops", "spos-2x"), arms.stream().map(Arm::name).toList());
    assertEquals(List.of(), arms.get(0).teacher(), "SPOS has no teacher");
    assertEquals(8, arms.get(1).compute());
    ExperimentReport r = new ExperimentReport(arms, List.of("scale: test"));

    Gain g = r.gains(false).get(0);
    assertEquals("spos", g.spos().name());
    assertEquals(0.3, g.difference().mean(), 1e-12); // (0.3 + 0.2 + 0.4) / 3
    assertEquals(0.3 / 0.2, g.relative(), 1e-12);
    Gain c = r.gains(true).get(0);
    assertEquals("spos-2x", c.spos().name());
    assertEquals((0.15 + 0.05 + 0.4) / 3, c.difference().mean(), 1e-12);

    assertEquals(0.6, r.proxiesAlone().get("naswot"));
    String md = r.markdown(Optional.empty());
    assertTrue(md.contains("- scale: test"), md);
    assertTrue(md.contains("](" + ExperimentReport.TAU_PLOT + ")"), md);
    assertTrue(r.markdown(Optional.of("no fonts")).contains("(No plots: no fonts)"));
    assertTrue(md.contains("| rdnas-flops | spos | 3 | +0.300 |"), md);
    assertTrue(md.contains("+150.0%"), md);
    assertTrue(md.contains("| spos | 2 | 2 | -0.200 |"), "tau over training rows:\n" + md);
    JsonNode json = new ObjectMapper().readTree(r.json());
    assertEquals(0.5, json.at("/arms/1/final_tau/mean").asDouble(), 1e-12);
    assertEquals(3, json.at("/arms/1/runs").size());

    Assumptions.assumeTrue(Charts.unavailable().isEmpty(),
        () -> "skipped the plots: " + Charts.unavailable().orElse(""));
    for (byte[] png : r.charts().values()) {
      BufferedImage img = ImageIO.read(new ByteArrayInputStream(png));
      assertEquals(Charts.WIDTH, img.getWidth());
    }
  }

  /** The final round's eval rows of a run, as job 2 journals them: arch, accuracy, teacher score. */
  private void evalJournal(String arm, long seed, long step, Object[][] rows) throws IOException {
    StringBuilder sb = new StringBuilder();
    for (Object[] r : rows) {
      Arch a = (Arch) r[0];
      sb.append(String.format(Locale.ROOT, "{\"round\":1,\"step\":%d,\"epoch\":4,\"archId\":%d,"
          + "\"arch\":\"%s\",\"accuracy\":%s,\"loss\":1.5,\"groundTruth\":null,"
          + "\"teacherScore\":%s}%n", step, a.id(), a, r[1], r[2]));
    }
    Path p = dir.resolve("runs").resolve(arm).resolve("seed-" + seed).resolve("checkpoints")
        .resolve("eval-" + String.format(Locale.ROOT, "%012d", step) + ".jsonl");
    Files.createDirectories(p.getParent());
    Files.writeString(p, sb.toString());
  }

  @Test
  void namesEachMethodsTopOneWithItsBenchmarkAccuracyAndTheSeedsATargetNeeds()
      throws IOException {
    standardRuns();
    List<Arch> archs = Nb201Space.full().sample(3, 1);
    StringBuilder csv = new StringBuilder("arch_str,test_acc,valid_test_acc\n");
    for (int i = 0; i < 3; i++) {
      csv.append(archs.get(i)).append(',').append(90 + i).append(',').append(80 + i).append('\n');
    }
    Nb201Table truth = Nb201Table.read(new ByteArrayInputStream(csv.toString().getBytes(
        StandardCharsets.UTF_8)), "truth", List.of(), Search.HEADLINE_COLUMNS);
    // The supernet ranks archs 0, 1, 2; the teacher 2, 0, 1; combined (s + t) / 2: 0 (1.5), 2 (2),
    // 1 (2.5).
    for (int s = 0; s < 3; s++) {
      evalJournal("rdnas-flops", s, 200, new Object[][] {{archs.get(0), 0.6, 2.0},
          {archs.get(1), 0.5, 1.0}, {archs.get(2), 0.4, 3.0}});
    }
    ExperimentReport r = new ExperimentReport(ExperimentRuns.read(dir.resolve("runs"), ORDER,
        truth), List.of());
    List<ExperimentReport.Found> found = r.found();
    assertEquals(List.of("supernet", "teacher", "combined"),
        found.stream().map(ExperimentReport.Found::method).toList(), "only rdnas-flops has rows");
    assertEquals(90, found.get(0).testAcc().mean(), 1e-12);
    assertEquals(92, found.get(1).testAcc().mean(), 1e-12);
    assertEquals(82, found.get(1).validTestAcc().mean(), 1e-12);
    assertEquals(90, found.get(2).testAcc().mean(), 1e-12);
    String md = r.markdown(Optional.empty());
    assertTrue(md.contains("| rdnas-flops | teacher | 3 | 92.00 |"), md);
    // Paired tau differences 0.3, 0.2, 0.4: sd 0.1; the fewest seeds whose interval is <= 0.10.
    Gain g = r.gains(false).get(0);
    assertEquals(0.1, g.difference().sd(), 1e-12);
    int n = g.seedsForTarget();
    assertTrue(SeedStats.tQuantile975(n - 1) * 0.1 / Math.sqrt(n) <= 0.10);
    assertTrue(SeedStats.tQuantile975(n - 2) * 0.1 / Math.sqrt(n - 1) > 0.10);
    assertEquals(0.3, g.spearmanDifference().mean(), 1e-12);
    assertTrue(md.contains("| " + n + " |"), md);
  }

  @Test
  void noRelativeGainOverANonPositiveBaseline() throws IOException {
    for (int s = 0; s < 2; s++) {
      summary("spos", s, "spos", 4, "flops", -0.3);
      summary("rdnas-flops", s, "rdnas", 4, "flops", 0.2);
    }
    ExperimentReport r = new ExperimentReport(ExperimentRuns.read(dir.resolve("runs"), ORDER, null),
        List.of());
    assertTrue(Double.isNaN(r.gains(false).get(0).relative()));
    assertTrue(r.markdown(Optional.empty()).contains("n/a (SPOS tau <= 0)"));
    assertTrue(r.gains(true).isEmpty(), "no SPOS arm of equal compute");
  }

  @Test
  void aRunWithoutGroundTruthOrOfAnotherScheduleIsNamedInTheError() throws IOException {
    Path bad = dir.resolve("runs/spos/seed-0/summary.json");
    Files.createDirectories(bad.getParent());
    Files.writeString(bad, "{\"mode\":\"spos\",\"training\":{\"epochs\":4},\"evaluation\":"
        + "{\"rounds\":[{\"round\":0,\"epoch\":4}]}}");
    IOException e = assertThrows(IOException.class,
        () -> ExperimentRuns.read(dir.resolve("runs"), ORDER, null));
    assertTrue(e.getMessage().contains(bad.toString()) && e.getMessage().contains("ground truth"),
        e.getMessage());

    Files.delete(bad);
    summary("spos", 0, "spos", 4, "flops", 0.1);
    summary("spos", 1, "spos", 6, "flops", 0.1);
    e = assertThrows(IOException.class, () -> ExperimentRuns.read(dir.resolve("runs"), ORDER, null));
    assertTrue(e.getMessage().contains("seed-1") && e.getMessage().contains("6 epochs"),
        e.getMessage());
  }

  @Test
  void unfinishedRunsAreNotReportedAndNoRunAtAllIsAnError() throws IOException {
    Files.createDirectories(dir.resolve("runs/spos/seed-0/checkpoints"));
    assertTrue(ExperimentRuns.read(dir.resolve("runs"), ORDER, null).isEmpty());
    assertThrows(IllegalArgumentException.class, () -> new ExperimentReport(List.of(), List.of()));
    assertThrows(IOException.class, () -> ExperimentRuns.read(dir.resolve("nothing"), ORDER, null));
  }
}
