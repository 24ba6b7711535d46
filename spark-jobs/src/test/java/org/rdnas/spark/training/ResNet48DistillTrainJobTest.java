package org.rdnas.spark.training;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.rdnas.io.InputException;
import org.rdnas.spark.DistillTrainJob;
import org.rdnas.spark.LocalSpark;
import org.rdnas.spark.ProxyScoringJob;
import org.rdnas.space.ResNet48Arch;
import org.rdnas.space.ResNet48Space;
import org.rdnas.train.Checkpoint;
import org.rdnas.train.RunStore;

/**
 * Job 2 on the CVPR 2022 ResNet48 space at toy size, end to end on {@code local[2]}: job 1 scores
 * 16 codes (32 px, a quarter of the challenge's widths, synthetic images); job 2 trains the supernet
 * by the authors' sandwich rule with rank-loss pairs at least 20 apart in Hamming distance, then
 * ranks the 16 codes and says how its ranking agrees with each proxy; SPOS mode trains by the
 * sandwich rule alone; what cannot work for the space is refused naming its key.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ResNet48DistillTrainJobTest {
  private static final ResNet48Space SPACE = ResNet48Space.of(32, 10, 0.25);
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final List<String> SPACE_KEYS = List.of("space.name=resnet48",
      "space.resolution=32", "space.width=0.25", "data.source=synthetic");

  @TempDir Path tmp;
  private LocalSpark local;
  private SparkSession spark;
  private Path table;
  private Path evalArchs;

  @BeforeAll
  void start(@TempDir Path shared) throws IOException {
    local = LocalSpark.start("ResNet48DistillTrainJobTest");
    spark = local.session();
    Path scored = shared.resolve("scored");
    List<String> a = new ArrayList<>(SPACE_KEYS);
    a.addAll(List.of("output.path=" + scored, "candidates.mode=sample", "candidates.sample-size=16",
        "candidates.seed=3", "proxies=[flops, params, synflow]", "proxy.batch-size=4",
        "data.synthetic-size=16"));
    ProxyScoringJob.run(spark, a.toArray(new String[0]));
    table = scored.resolve("ranking");
    List<String> codes = spark.read().parquet(table.toString()).select("arch").orderBy("arch_id")
        .collectAsList().stream().map(r -> r.getString(0)).toList();
    evalArchs = Files.write(shared.resolve("eval-archs.txt"), codes.subList(0, 6));
  }

  @AfterAll
  void stop() {
    if (local != null) {
      local.close();
    }
  }

  /** 40 synthetic images, 8 held out: 4 steps of 8 in one epoch. */
  private String[] args(Path out, String... more) {
    List<String> a = new ArrayList<>(SPACE_KEYS);
    a.addAll(List.of("output.path=" + out, "ranking.path=" + table, "data.synthetic-size=40",
        "train.held-out=8", "train.epochs=1", "train.batch-size=8", "train.micro-batch=4",
        "train.lr=0.02", "train.checkpoint-every=2", "eval.archs-file=" + evalArchs,
        "eval.bootstrap=0", "eval.batch-size=8", "distill.threshold=20", "distill.lambda=constant"));
    a.addAll(Arrays.asList(more));
    return a.toArray(new String[0]);
  }

  @Test
  void rdnasTrainsTheSandwichWithFarPairsAndRanksTheTablesCodes() throws IOException {
    Path out = tmp.resolve("rdnas");
    DistillTraining.Outcome o = DistillTrainJob.run(spark, args(out, "train.workers=2"));
    assertEquals(4, o.steps());

    List<Row> metrics = spark.read().parquet(out.resolve(RunStore.METRICS).toString())
        .orderBy("step").collectAsList();
    assertEquals(4, metrics.size());
    for (Row m : metrics) {
      String a = m.getAs("arch_a");
      String b = m.getAs("arch_b");
      assertTrue(SPACE.distance(SPACE.parse(a), SPACE.parse(b)) >= 20, a + " vs " + b);
      for (String loss : List.of("ce_a", "ce_b", "rank_loss", "loss")) {
        assertTrue(Double.isFinite(m.<Double>getAs(loss)), loss + " " + m);
      }
    }

    List<Row> search = spark.read().parquet(out.resolve("search").toString()).collectAsList();
    assertEquals(16, search.size());
    for (Row r : search) {
      String code = r.getAs("arch");
      assertEquals(ResNet48Arch.CODE_LENGTH, code.length());
      assertEquals(r.<Long>getAs("arch_id"), SPACE.parse(code));
      assertTrue(r.<Double>getAs("teacher_score") != null, "the table's flops: " + r);
      assertNull(r.getAs("ground_truth"));
    }

    List<Row> eval = spark.read().parquet(out.resolve(RunStore.EVAL).toString()).collectAsList();
    assertEquals(6, eval.size());
    eval.forEach(r -> assertTrue(r.<Double>getAs("teacher_score") != null, r.toString()));

    JsonNode summary = JSON.readTree(out.resolve(RunStore.SUMMARY).toFile());
    JsonNode agreement = summary.path("search").path("agreement");
    // After 4 steps the supernet may give every code the same accuracy on 8 images: then no
    // correlation exists, and it is null rather than a number.
    boolean constant = search.stream().map(r -> r.<Double>getAs("supernet_accuracy")).distinct()
        .count() == 1;
    for (String column : List.of("flops", "params", "synflow")) {
      JsonNode a = agreement.path(column);
      assertEquals(16, a.path("archs").asInt(), column + ": " + agreement);
      assertEquals(constant, a.path("kendall_tau").isNull(), column + ": " + a);
      if (!constant) {
        double tau = a.path("kendall_tau").asDouble();
        assertTrue(tau >= -1 && tau <= 1, column + ": " + a);
      }
    }
    assertEquals(SPACE.supernet().parameters().stream().mapToLong(p -> p.size()).sum(),
        summary.path("training").path("parameters").asLong());

    // The same run again, stopped after its first checkpoint and resumed, ends with the same weights.
    Path again = tmp.resolve("rdnas-resumed");
    DistillTrainJob.run(spark, args(again, "train.workers=2", "train.epochs=1"));
    Path ckpts = again.resolve("checkpoints");
    Files.delete(ckpts.resolve(Checkpoint.fileName(4)));
    DistillTraining.Outcome resumed =
        DistillTrainJob.run(spark, args(again, "train.workers=2", "train.resume=true"));
    assertEquals(2L, resumed.summary().resumedFromStep());
    assertArrayEquals(weights(out, 4), weights(again, 4));
  }

  private static float[] weights(Path out, long step) throws IOException {
    Path f = out.resolve("checkpoints").resolve(Checkpoint.fileName(step));
    try (java.io.InputStream in = Files.newInputStream(f)) {
      return Checkpoint.read(in, f.toString()).weights();
    }
  }

  @Test
  void sposTrainsTheSandwichRuleAlone() throws IOException {
    Path out = tmp.resolve("spos");
    DistillTrainJob.run(spark, args(out, "train.mode=spos", "search.candidates=eval"));
    List<Row> metrics = spark.read().parquet(out.resolve(RunStore.METRICS).toString())
        .collectAsList();
    assertEquals(4, metrics.size());
    for (Row m : metrics) {
      assertNull(m.getAs("arch_b"));
      assertTrue(Double.isFinite(m.<Double>getAs("ce_a")));
    }
    assertEquals(6, spark.read().parquet(out.resolve("search").toString()).count());
  }

  @Test
  void trainsOnAnImageFolderOfTheImageNetLayout() throws IOException {
    // 3 classes of 12 images each, of other sizes than 32 px, PNG and JPEG: the supernet's head
    // scores 3 classes, and the folder's images are resized to 32 px.
    Path root = tmp.resolve("images");
    String[] classes = {"n01", "n02", "n03"};
    java.util.SplittableRandom rng = new java.util.SplittableRandom(5);
    for (int c = 0; c < classes.length; c++) {
      Files.createDirectories(root.resolve(classes[c]));
      for (int k = 0; k < 12; k++) {
        java.awt.image.BufferedImage img =
            new java.awt.image.BufferedImage(40 + k, 36 + c, java.awt.image.BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < img.getHeight(); y++) {
          for (int x = 0; x < img.getWidth(); x++) {
            // Each class its own dominant colour, so there is something to learn.
            img.setRGB(x, y, (0xC0 << (8 * c)) | rng.nextInt(1 << 6));
          }
        }
        String format = k % 3 == 0 ? "jpg" : "png";
        javax.imageio.ImageIO.write(img, format,
            root.resolve(classes[c]).resolve("img" + k + "." + format).toFile());
      }
    }
    Path out = tmp.resolve("folder");
    DistillTraining.Outcome o = DistillTrainJob.run(spark, args(out, "train.mode=spos",
        "data.source=image-folder", "data.path=" + root, "data.image-size=32",
        "search.candidates=eval"));
    // 36 images, 8 held out: 3 steps of 8.
    assertEquals(3, o.steps());
    assertEquals(3, SPACE_OF_3.supernet().classes());
    assertEquals(SPACE_OF_3.supernet().parameters().stream().mapToLong(p -> p.size()).sum(),
        JSON.readTree(out.resolve(RunStore.SUMMARY).toFile()).path("training").path("parameters")
            .asLong());
    assertEquals(6, spark.read().parquet(out.resolve("search").toString()).count());
  }

  private static final ResNet48Space SPACE_OF_3 = ResNet48Space.of(32, 3, 0.25);

  @Test
  void whatTheSpaceCannotDoIsRefusedNamingItsKey() {
    InputException e = assertThrows(InputException.class, () -> DistillTrainJob.run(spark,
        args(tmp.resolve("bigger"), "space.resolution=64")));
    assertTrue(e.getMessage().contains("rdnas.space.resolution"), e.getMessage());
    e = assertThrows(InputException.class, () -> DistillTrainJob.run(spark,
        args(tmp.resolve("truth"), "ground-truth.path=" + evalArchs)));
    assertTrue(e.getMessage().contains("rdnas.ground-truth.path"), e.getMessage());
    e = assertThrows(InputException.class, () -> DistillTrainJob.run(spark,
        args(tmp.resolve("far"), "distill.threshold=48")));
    assertTrue(e.getMessage().contains("distance >= 48"), e.getMessage());
  }
}
