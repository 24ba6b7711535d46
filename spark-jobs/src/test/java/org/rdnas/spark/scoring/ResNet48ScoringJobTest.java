package org.rdnas.spark.scoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rdnas.io.InputException;
import org.rdnas.nn.SubnetModel;
import org.rdnas.scoring.RankingTableSchema;
import org.rdnas.scoring.ScoringOutcome;
import org.rdnas.space.ResNet48Space;
import org.rdnas.spark.LocalSpark;
import org.rdnas.spark.ProxyScoringJob;

/**
 * Job 1 on the CVPR 2022 ResNet48 space at toy size ({@code local[2]}, 32 px, synthetic images, a
 * few codes in the challenge's CSV layout): the table holds each code with its id, FLOPs and params
 * equal the stand-alone network's counts, the resolution is in the table's identity, the
 * partitioning changes nothing, and what makes no sense for the space is refused naming its key.
 */
class ResNet48ScoringJobTest {
  private static final ResNet48Space SPACE = ResNet48Space.of(32, 10);
  private static LocalSpark local;
  private static SparkSession spark;

  @TempDir Path tmp;

  @BeforeAll
  static void startSpark() {
    local = LocalSpark.start("ResNet48ScoringJobTest");
    spark = local.session();
  }

  @AfterAll
  static void stopSpark() {
    if (local != null) {
      local.close();
    }
  }

  /** A challenge-style CSV of {@code n} codes drawn with the authors' sampler. */
  private Path csv(int n) throws IOException {
    List<String> lines = new ArrayList<>(List.of("name,arch"));
    long[] ids = SPACE.sample(n, 42);
    for (int i = 0; i < n; i++) {
      lines.add("arch" + (i + 1) + "," + SPACE.format(ids[i]));
    }
    return Files.write(tmp.resolve("archs.csv"), lines);
  }

  private static String[] args(Path out, String... more) {
    List<String> a = new ArrayList<>(List.of("space.name=resnet48", "space.resolution=32",
        "proxy.batch-size=4", "data.synthetic-size=16", "output.path=" + out));
    a.addAll(Arrays.asList(more));
    return a.toArray(new String[0]);
  }

  @Test
  void codesFromTheChallengeCsvAreScoredIntoATableOfCodes() throws IOException {
    Path file = csv(12);
    Path out = tmp.resolve("scored");
    ScoringOutcome o = ProxyScoringJob.run(spark, args(out, "candidates.mode=file-sample",
        "candidates.file=" + file, "candidates.sample-size=3", "candidates.seed=1",
        "proxies=[synflow, naswot, flops, params]"));
    assertEquals(3, o.tableRows());
    assertEquals(0, o.tableFailed());

    List<Row> rows = spark.read().parquet(o.table()).orderBy("arch_id").collectAsList();
    List<String> inFile = Files.readAllLines(file).subList(1, 13).stream()
        .map(l -> l.substring(l.indexOf(',') + 1)).toList();
    for (Row r : rows) {
      long id = r.getLong(r.fieldIndex("arch_id"));
      String code = r.getString(r.fieldIndex("arch"));
      assertTrue(inFile.contains(code), code);
      assertEquals(id, SPACE.parse(code));
      assertEquals(id, r.getLong(r.fieldIndex("canonical_arch_id")));
      SubnetModel net = SPACE.subnet(id);
      assertEquals(net.macs() / 1e6, r.getDouble(r.fieldIndex("flops")), 0);
      assertEquals(net.parameterCount() / 1e6, r.getDouble(r.fieldIndex("params")), 0);
      assertTrue(r.getDouble(r.fieldIndex("synflow")) > 0);
      assertFalse(r.isNullAt(r.fieldIndex("naswot")));
    }
    Map<String, String> meta = RankingOutput.at(out.toString(), new Configuration())
        .tableMetadata().orElseThrow();
    JsonNode identity = RankingOutput.JSON.readTree(meta.get(RankingTableSchema.META_IDENTITY));
    assertEquals("resnet48", identity.get("space.name").asText());
    assertEquals("32", identity.get("space.resolution").asText());
    assertFalse(identity.has("space.channels"), identity.toString());
  }

  @Test
  void flopsAndParamsOfEveryCodeOfAFileDoNotDependOnThePartitioning() throws IOException {
    Path file = csv(40);
    String[] common = {"candidates.mode=file", "candidates.file=" + file, "proxies=[flops, params]"};
    ScoringOutcome one = ProxyScoringJob.run(spark, args(tmp.resolve("p1"),
        concat(common, "scoring.partitions=1")));
    ScoringOutcome three = ProxyScoringJob.run(spark, args(tmp.resolve("p3"),
        concat(common, "scoring.partitions=3")));
    assertEquals(40, one.tableRows());
    List<Row> a = spark.read().parquet(one.table()).drop("flops_ms", "params_ms").collectAsList();
    List<Row> b = spark.read().parquet(three.table()).drop("flops_ms", "params_ms").collectAsList();
    assertEquals(a, b);
  }

  @Test
  void whatMakesNoSenseForTheSpaceIsRefusedNamingTheKey() throws IOException {
    Path file = csv(3);
    assertRefused(args(tmp.resolve("all"), "candidates.mode=all", "proxies=[flops]"),
        "rdnas.candidates.mode = all");
    assertRefused(args(tmp.resolve("grasp"), "candidates.mode=file", "candidates.file=" + file,
        "proxies=[flops, grasp]"), "rdnas.proxies: [grasp]");
    assertRefused(args(tmp.resolve("truth"), "candidates.mode=file", "candidates.file=" + file,
        "proxies=[flops]", "ground-truth.path=" + file), "rdnas.ground-truth.path");
    Path bad = Files.write(tmp.resolve("bad.csv"), List.of("name,arch", "a1,1252233313"));
    assertRefused(args(tmp.resolve("bad"), "candidates.mode=file", "candidates.file=" + bad,
        "proxies=[flops]"), "line 2: malformed ResNet48 code '1252233313'");
  }

  /**
   * An image folder of 3 classes x 4 images (ant, bird, cat by name; written out of order), mixed
   * PNG and JPEG of different sizes, one grey and one with alpha.
   */
  private Path imageFolder(String name) throws IOException {
    Path root = tmp.resolve(name);
    String[] classes = {"cat", "ant", "bird"};
    java.util.SplittableRandom rng = new java.util.SplittableRandom(3);
    for (int c = 0; c < classes.length; c++) {
      Files.createDirectories(root.resolve(classes[c]));
      for (int k = 0; k < 4; k++) {
        int w = 20 + 7 * k;
        int h = 24 + 5 * c;
        int type = k == 1 ? java.awt.image.BufferedImage.TYPE_BYTE_GRAY
            : k == 2 ? java.awt.image.BufferedImage.TYPE_INT_ARGB : java.awt.image.BufferedImage.TYPE_INT_RGB;
        java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(w, h, type);
        for (int y = 0; y < h; y++) {
          for (int x = 0; x < w; x++) {
            img.setRGB(x, y, 0x80000000 | rng.nextInt(1 << 24));
          }
        }
        String format = k == 3 ? "jpg" : "png";
        javax.imageio.ImageIO.write(img, format, root.resolve(classes[c] + "/img" + k + "." + format).toFile());
      }
    }
    return root;
  }

  @Test
  void codesAreScoredOnAnImageFolderWithItsClassCount() throws IOException {
    Path file = csv(12);
    Path images = imageFolder("imgs");
    Path out = tmp.resolve("folder");
    ScoringOutcome o = ProxyScoringJob.run(spark, args(out, "candidates.mode=file-sample",
        "candidates.file=" + file, "candidates.sample-size=3", "candidates.seed=1",
        "data.source=image-folder", "data.path=" + images, "data.image-size=32",
        "proxies=[synflow, naswot, flops, params]"));
    assertEquals(3, o.tableRows());
    assertEquals(0, o.tableFailed());
    ResNet48Space three = ResNet48Space.of(32, 3);
    List<Row> rows = spark.read().parquet(o.table()).orderBy("arch_id").collectAsList();
    assertEquals(3, rows.size());
    for (Row r : rows) {
      long id = r.getLong(r.fieldIndex("arch_id"));
      SubnetModel net = three.subnet(id);
      // The networks score the folder's 3 classes: fewer parameters than the 10-class ones.
      assertEquals(net.parameterCount() / 1e6, r.getDouble(r.fieldIndex("params")), 0);
      assertTrue(net.parameterCount() < SPACE.subnet(id).parameterCount());
      assertEquals(net.macs() / 1e6, r.getDouble(r.fieldIndex("flops")), 0);
      assertTrue(r.getDouble(r.fieldIndex("synflow")) > 0);
      assertFalse(r.isNullAt(r.fieldIndex("naswot")));
    }
    Map<String, String> meta = RankingOutput.at(out.toString(), new Configuration())
        .tableMetadata().orElseThrow();
    JsonNode identity = RankingOutput.JSON.readTree(meta.get(RankingTableSchema.META_IDENTITY));
    assertEquals("image-folder", identity.get("data.source").asText());
    assertEquals("file:" + images, identity.get("data.path").asText());
    assertEquals("32", identity.get("data.image-size").asText());
    assertTrue(meta.get(RankingTableSchema.META_DATASET).contains("image-folder file:" + images),
        meta.get(RankingTableSchema.META_DATASET));

    // 16 px images are enlarged to the 32 px networks by repeating pixels.
    ScoringOutcome small = ProxyScoringJob.run(spark, args(tmp.resolve("folder16"),
        "candidates.mode=file-sample", "candidates.file=" + file, "candidates.sample-size=2",
        "candidates.seed=1", "data.source=image-folder", "data.path=" + images,
        "data.image-size=16", "data.limit=8", "proxies=[synflow, naswot, flops, params]"));
    assertEquals(2, small.tableRows());
    assertEquals(0, small.tableFailed());
  }

  @Test
  void anImageFolderTheSpaceCannotTakeIsRefused() throws IOException {
    Path file = csv(3);
    Path images = imageFolder("imgs");
    assertRefused(new String[] {"space.name=nb201", "space.channels=4", "space.cells=1",
        "candidates.mode=sample", "candidates.sample-size=2", "proxy.batch-size=4",
        "data.source=image-folder", "data.path=" + images, "proxies=[flops, synflow]",
        "output.path=" + tmp.resolve("nb201")},
        "rdnas.space.name = nb201 builds NAS-Bench-201's CIFAR-10 networks (32 px, 10 classes), but "
            + "rdnas.data.path file:" + images + " holds 3 class folders");
    String[] oddSide = args(tmp.resolve("odd"), "candidates.mode=file", "candidates.file=" + file,
        "data.source=image-folder", "data.path=" + images, "data.image-size=24", "proxies=[flops]");
    assertEquals(2, ProxyScoringJob.execute(oddSide, () -> spark));
    assertRefused(args(tmp.resolve("missing"), "candidates.mode=file", "candidates.file=" + file,
        "data.source=image-folder", "data.path=" + tmp.resolve("nowhere"), "proxies=[flops]"),
        "rdnas.data.path: image-folder file:" + tmp.resolve("nowhere") + ": no such folder");
    Files.createDirectories(images.resolve("dog"));
    assertRefused(args(tmp.resolve("empty"), "candidates.mode=file", "candidates.file=" + file,
        "data.source=image-folder", "data.path=" + images, "proxies=[flops]"),
        "class folder 'dog' holds no images");
    Files.writeString(images.resolve("dog/broken.png"), "not a png");
    String[] broken = args(tmp.resolve("broken"), "candidates.mode=file", "candidates.file=" + file,
        "data.source=image-folder", "data.path=" + images, "proxies=[flops, naswot]");
    // The driver lists the folder; the image that does not decode is found where it is read, in a
    // task, and reported as the user's input to fix (exit 2), naming the file.
    Throwable t = assertThrows(Exception.class, () -> ProxyScoringJob.run(spark, broken));
    while (!(t instanceof InputException) && t.getCause() != null) {
      t = t.getCause();
    }
    assertTrue(t instanceof InputException && t.getMessage().contains("broken.png: does not decode"),
        String.valueOf(t));
    assertEquals(2, ProxyScoringJob.execute(broken, () -> spark));
  }

  private static void assertRefused(String[] a, String text) {
    InputException e = assertThrows(InputException.class, () -> ProxyScoringJob.run(spark, a));
    assertTrue(e.getMessage().contains(text), e.getMessage());
    assertEquals(2, ProxyScoringJob.execute(a, () -> spark));
    String out = Arrays.stream(a).filter(s -> s.startsWith("output.path=")).findFirst()
        .orElseThrow().substring("output.path=".length());
    assertFalse(Files.exists(Path.of(out)), "nothing written");
  }

  private static String[] concat(String[] a, String... b) {
    String[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
