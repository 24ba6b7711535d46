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
import org.rdnas.spark.DistillTrainJob;
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

  @Test
  void job2RefusesTheSpaceNamingTheKey() {
    Path out = tmp.resolve("train");
    String[] a = {"space.name=resnet48", "output.path=" + out};
    InputException e = assertThrows(InputException.class, () -> DistillTrainJob.run(spark, a));
    assertTrue(e.getMessage().contains("rdnas.space.name = resnet48"), e.getMessage());
    assertEquals(2, DistillTrainJob.execute(spark, a));
    assertFalse(Files.exists(out.resolve("summary.json")));
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
