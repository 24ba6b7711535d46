package org.rdnas.spark.scoring;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;


import org.rdnas.io.InputException;
import org.rdnas.io.ReportFolder;
import org.rdnas.scoring.ScoringSettings;
import org.rdnas.spark.LocalSpark;
import org.rdnas.spark.ProxyScoringJob;
import org.rdnas.spark.RdnasKryoRegistrator;
import org.rdnas.spark.ReportAssertions;


import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rdnas.config.ConfigurationException;
import org.rdnas.proxy.Proxies;
import org.rdnas.rank.Aggregate;
import org.rdnas.scoring.RankingTableSchema;
import org.rdnas.scoring.ScoringOutcome;

/**
 * The whole scoring job on {@code local[2]} with tiny networks (C=4, N=1) and synthetic images:
 * table layout and metadata, determinism across partitionings, resume, failed rows, and every bad
 * input refused before anything is written.
 */
class ProxyScoringJobTest {
  private static final List<String> SMALL = List.of(
      "space.channels=4", "space.cells=1", "proxy.batch-size=8", "data.synthetic-size=64");
  private static final String FEW_PROXIES = "proxies=[synflow, naswot, snip, flops, params]";
  private static LocalSpark local;
  private static SparkSession spark;

  @TempDir Path tmp;

  @BeforeAll
  static void startSpark() {
    local = LocalSpark.start("ProxyScoringJobTest");
    spark = local.session();
  }

  @AfterAll
  static void stopSpark() {
    if (local != null) {
      local.close();
    }
  }

  private static String[] args(Path out, String... more) {
    List<String> a = new ArrayList<>(SMALL);
    a.add("output.path=" + out);
    a.addAll(Arrays.asList(more));
    return a.toArray(new String[0]);
  }

  private static List<Row> rows(String table) {
    return spark.read().parquet(table).collectAsList();
  }

  /** Rows without the timing columns, which differ from run to run by nature. */
  private static List<String> values(String table) {
    StructType schema = spark.read().parquet(table).schema();
    List<String> out = new ArrayList<>();
    for (Row r : rows(table)) {
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < schema.size(); i++) {
        if (!schema.fields()[i].name().endsWith("_ms")) {
          sb.append(schema.fields()[i].name()).append('=').append(r.get(i)).append(' ');
        }
      }
      out.add(sb.toString());
    }
    return out;
  }

  @Test
  void allTenProxiesMakeATableWithTheDocumentedColumnsAndMetadata() throws IOException {
    Path out = tmp.resolve("all-ten");
    List<String> extra = new ArrayList<>(List.of("candidates.sample-size=4", "candidates.seed=3"));
    Path truth = Path.of(System.getProperty("rdnas.shared.data", "../../shared/data"),
        "nasbench201", "nb201_cifar10.csv");
    boolean withTruth = Files.isReadable(truth);
    if (withTruth) {
      extra.add("ground-truth.path=" + truth);
    }
    ScoringOutcome o = ProxyScoringJob.run(spark, args(out, extra.toArray(new String[0])));

    assertEquals(4, o.tableRows());
    assertEquals(4, o.scoredNow());
    StructType schema = spark.read().parquet(o.table()).schema();
    List<String> expected = new ArrayList<>(List.of("arch_id", "arch", "canonical_arch_id"));
    expected.addAll(Proxies.DEFAULT);
    Proxies.DEFAULT.forEach(p -> expected.add(p + "_ms"));
    expected.addAll(List.of("status", "error", "seed"));
    assertEquals(expected, Arrays.asList(schema.fieldNames()));
    for (StructField f : schema.fields()) {
      Object type = switch (f.name()) {
        case "arch_id", "canonical_arch_id", "seed" -> DataTypes.LongType;
        case "arch", "status", "error" -> DataTypes.StringType;
        default -> DataTypes.DoubleType;
      };
      assertEquals(type, f.dataType(), f.name());
    }

    List<Row> rows = rows(o.table());
    long previous = -1;
    for (Row r : rows) {
      long id = r.getLong(r.fieldIndex("arch_id"));
      assertTrue(id > previous, "rows sorted by arch_id");
      previous = id;
      assertEquals(id, org.rdnas.space.Arch.parse(r.getString(r.fieldIndex("arch"))).id());
      assertEquals(0L, r.getLong(r.fieldIndex("seed")));
      String status = r.getString(r.fieldIndex("status"));
      String error = r.getString(r.fieldIndex("error"));
      for (String p : Proxies.DEFAULT) {
        boolean isNull = r.isNullAt(r.fieldIndex(p));
        assertEquals(isNull, error.contains(p + ": "), "null exactly where " + p + " failed: " + error);
        assertTrue(r.getDouble(r.fieldIndex(p + "_ms")) >= 0);
      }
      assertEquals(error.isEmpty() ? "ok" : "failed", status);
    }

    Map<String, String> meta = RankingOutput.at(out.toString(), new Configuration())
        .tableMetadata().orElseThrow();
    assertEquals("ranking", meta.get(RankingTableSchema.META_TABLE));
    JsonNode config = RankingOutput.JSON.readTree(meta.get(RankingTableSchema.META_CONFIG));
    assertEquals(4, config.at("/rdnas/space/channels").asInt());
    assertEquals("8", meta.get(RankingTableSchema.META_BATCH_SIZE));
    assertEquals("cpu", meta.get(RankingTableSchema.META_DEVICE));
    assertTrue(meta.get(RankingTableSchema.META_DATASET).startsWith("synthetic"), meta.get(RankingTableSchema.META_DATASET));
    assertFalse(meta.get(RankingTableSchema.META_PYTORCH).isBlank());
    assertFalse(meta.get(RankingTableSchema.META_DJL).isBlank());
    assertFalse(meta.get(RankingTableSchema.META_VERSION).isBlank());
    assertEquals("4", meta.get(RankingTableSchema.META_ROWS));
    assertFalse(Files.exists(out.resolve(RankingOutput.PARTS_DIR)), "parts are removed after commit");

    if (withTruth) {
      JsonNode report = RankingOutput.JSON.readTree(out.resolve("correlation.json").toFile());
      List<String> names = new ArrayList<>();
      report.get("proxies").forEach(n -> names.add(n.get("proxy").asText()));
      assertEquals(Proxies.DEFAULT, names);
      assertEquals(4, report.get("archs_in_ground_truth").asInt());
      for (JsonNode p : report.get("proxies")) {
        // The zero-shot answer: the top-1's true accuracy and rank, the best of the top 10.
        assertTrue(p.get("top1_true_rank").asInt() >= 1, p.toString());
        assertTrue(p.get("best_true_accuracy_in_top10").asDouble()
            >= p.get("top1_true_accuracy").asDouble(), p.toString());
      }
      assertTrue(o.correlation().isPresent());
    }

    List<String> plots = new ArrayList<>();
    if (withTruth) {
      plots.add("correlation.png");
    }
    Proxies.DEFAULT.forEach(p -> plots.add("scores-" + p + ".png"));
    String html = ReportAssertions.assertReport(out, "proxy-scoring", plots);
    assertEquals(!withTruth, html.contains("No ground truth was given"));
  }

  @Test
  void theTableIsTheSameWhateverThePartitioning() throws IOException {
    String[] common = {"candidates.sample-size=12", "candidates.seed=7", FEW_PROXIES};
    ScoringOutcome one = ProxyScoringJob.run(spark, args(tmp.resolve("p1"),
        concat(common, "scoring.partitions=1")));
    ScoringOutcome five = ProxyScoringJob.run(spark, args(tmp.resolve("p5"),
        concat(common, "scoring.partitions=5")));
    assertEquals(12, one.tableRows());
    assertEquals(values(one.table()), values(five.table()));
    assertTrue(ReportAssertions.assertReport(tmp.resolve("p5"), "proxy-scoring",
        List.of("scores-synflow.png",
        "scores-snip.png", "scores-naswot.png", "scores-flops.png", "scores-params.png"))
        .contains("No ground truth was given"));
  }

  @Test
  void manyPartFilesMergeIntoOneTable() {
    // Past 32 input paths Spark lists files in a job of its own, which Kryo must not be asked to ship.
    ScoringOutcome o = assertDoesNotThrow(() -> ProxyScoringJob.run(spark, args(tmp.resolve("many"),
        "candidates.sample-size=40", "proxies=[flops, params]", "scoring.partitions=40")));
    assertEquals(40, o.tableRows());
  }

  @Test
  void resumeScoresOnlyTheMissingArchsAndMergesThem() throws IOException {
    String[] common = {"candidates.sample-size=12", "candidates.seed=11", FEW_PROXIES};
    ScoringOutcome reference = ProxyScoringJob.run(spark, args(tmp.resolve("ref"), common));
    List<String> expected = values(reference.table());

    // A run killed after some tasks committed: their parts are there, no table yet.
    Path out = tmp.resolve("resumed");
    ScoringSettings settings = ScoringSettings.of(
        org.rdnas.config.RdnasConfig.load(args(out, common)), "");
    RankingOutput output = RankingOutput.at(out.toString(), new Configuration());
    output.prepareParts(settings.identity());
    copyRows(reference.table(), output.parts().toString(), "part-killedrun-00000.parquet",
        settings, "ranking-part", 0, 5);

    InputException noResume = assertThrows(InputException.class,
        () -> ProxyScoringJob.run(spark, args(out, common)));
    assertTrue(noResume.getMessage().contains("rdnas.scoring.resume=true"), noResume.getMessage());

    ScoringOutcome resumed = ProxyScoringJob.run(spark, args(out, concat(common, "scoring.resume=true")));
    assertEquals(5, resumed.alreadyScored());
    assertEquals(7, resumed.scoredNow());
    assertEquals(expected, values(resumed.table()));
    assertFalse(Files.exists(out.resolve(RankingOutput.PARTS_DIR)));

    // Rows deleted from a committed table: resume rescores just those.
    Path only = tmp.resolve("subset");
    copyRows(resumed.table(), only.toString(), MergeTask.FILE_NAME, settings, "ranking", 3, 12);
    Path table = out.resolve(RankingOutput.TABLE_DIR);
    deleteTree(table);
    Files.move(only, table);
    ScoringOutcome again = ProxyScoringJob.run(spark, args(out, concat(common, "scoring.resume=true")));
    assertEquals(9, again.alreadyScored());
    assertEquals(3, again.scoredNow());
    assertEquals(expected, values(again.table()));

    // Nothing left to do: the table stays as it is.
    ScoringOutcome done = ProxyScoringJob.run(spark, args(out, concat(common, "scoring.resume=true")));
    assertEquals(0, done.scoredNow());
    assertEquals(expected, values(done.table()));
  }

  @Test
  void aggregatesAreColumnsOverTheWholeTableMadeAgainOnResumeAndTeachJob2(@TempDir Path work)
      throws IOException {
    String two = "aggregates=[\"fp = mean-rank(flops, params)\", "
        + "\"nf = log-rank-sum(naswot, flops)\"]";
    String[] few = {"candidates.sample-size=6", "candidates.seed=5",
        "proxies=[flops, params, naswot]"};
    Path out = tmp.resolve("aggregates");
    ScoringOutcome first = ProxyScoringJob.run(spark, args(out, concat(few, two)));
    assertAggregates(first.table(), List.of(Aggregate.parse("fp = mean-rank(flops, params)"),
        Aggregate.parse("nf = log-rank-sum(naswot, flops)")));

    // More candidates: the aggregates rank every row of the grown table, not the new ones alone.
    ScoringOutcome more = ProxyScoringJob.run(spark, args(out, concat(few, two,
        "candidates.sample-size=12", "scoring.resume=true")));
    assertTrue(more.scoredNow() > 0);
    assertAggregates(more.table(), List.of(Aggregate.parse("fp = mean-rank(flops, params)"),
        Aggregate.parse("nf = log-rank-sum(naswot, flops)")));

    // Other aggregates, nothing to score: the table is made again with them.
    ScoringOutcome changed = ProxyScoringJob.run(spark, args(out, concat(few,
        "aggregates=[\"fp = log-rank-sum(flops, params)\"]", "candidates.sample-size=12",
        "scoring.resume=true")));
    assertEquals(0, changed.scoredNow());
    assertAggregates(changed.table(), List.of(Aggregate.parse("fp = log-rank-sum(flops, params)")));
    assertFalse(Arrays.asList(spark.read().parquet(changed.table()).schema().fieldNames())
        .contains("nf"));

    // Job 2 learns the aggregate's order.
    assertEquals(0, org.rdnas.spark.DistillTrainJob.execute(spark, "space.channels=4",
        "space.cells=1", "data.source=synthetic", "data.synthetic-size=64", "train.held-out=16",
        "train.epochs=1", "train.batch-size=16", "train.micro-batch=8", "eval.archs=4",
        "eval.top-k=2", "eval.bootstrap=20", "eval.batch-size=16", "distill.threshold=1",
        "aggregates=[\"fp = log-rank-sum(flops, params)\"]", "distill.teacher=fp",
        "ranking.path=" + changed.table(),
        "output.path=" + work.resolve("job2")));
    JsonNode summary = RankingOutput.JSON.readTree(work.resolve("job2/summary.json").toFile());
    assertEquals("fp", summary.at("/ranking_table/teacher/0").asText());
  }

  /** Each aggregate column holds the aggregate of the whole table, and the footer says so. */
  private static void assertAggregates(String table, List<Aggregate> aggregates)
      throws IOException {
    List<Row> rows = spark.read().parquet(table).orderBy("arch_id").collectAsList();
    Map<String, double[]> columns = new java.util.LinkedHashMap<>();
    for (String c : List.of("flops", "params", "naswot")) {
      columns.put(c, column(rows, c));
    }
    for (Aggregate a : aggregates) {
      assertArrayEquals(a.compute(columns), column(rows, a.name()), 1e-12, a.toString());
    }
    Map<String, String> footer = RankingOutput.at(table, new Configuration())
        .footer(new org.apache.hadoop.fs.Path(table, MergeTask.FILE_NAME));
    JsonNode meta = RankingOutput.JSON.readTree(footer.get(RankingTableSchema.META_AGGREGATES));
    assertEquals(aggregates.size(), meta.size());
    for (int i = 0; i < aggregates.size(); i++) {
      assertEquals(aggregates.get(i).toString(), meta.get(i).get("definition").asText());
      assertEquals(rows.size(), meta.get(i).get("rows").asInt());
    }
  }

  private static double[] column(List<Row> rows, String name) {
    return rows.stream().mapToDouble(r -> r.isNullAt(r.fieldIndex(name)) ? Double.NaN
        : r.getDouble(r.fieldIndex(name))).toArray();
  }

  @Test
  void aTimedOutArchIsAFailedRowNotAFailedJob() throws IOException {
    ScoringOutcome o = ProxyScoringJob.run(spark, args(tmp.resolve("timeout"),
        "candidates.sample-size=3", "proxies=[synflow, snip, naswot]", "proxy.timeout=1ms"));
    assertEquals(3, o.tableRows());
    assertEquals(3, o.tableFailed());
    for (Row r : rows(o.table())) {
      assertEquals("failed", r.getString(r.fieldIndex("status")));
      assertTrue(r.getString(r.fieldIndex("error")).contains("timed out"), r.getString(r.fieldIndex("error")));
    }
  }

  @Test
  void aMalformedCandidatesFileIsRefusedWithItsLineNumbers() throws IOException {
    Path file = tmp.resolve("candidates.txt");
    Files.writeString(file, String.join("\n",
        "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_3x3~2|",
        "|nor_conv_3x3~0|+|nor_conv_3x3~0|",
        "# a comment",
        "|conv_5x5~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_3x3~2|",
        "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_3x3~2|",
        ""));
    Path out = tmp.resolve("bad-candidates");
    String[] a = args(out, "candidates.mode=file", "candidates.file=" + file);
    InputException e = assertThrows(InputException.class, () -> ProxyScoringJob.run(spark, a));
    assertTrue(e.getMessage().contains("line 2:"), e.getMessage());
    assertTrue(e.getMessage().contains("line 4:"), e.getMessage());
    assertTrue(e.getMessage().contains("2 malformed line(s)"), e.getMessage());
    assertEquals(2, ProxyScoringJob.execute(a, () -> spark));
    assertFalse(Files.exists(out), "nothing written");
  }

  @Test
  void duplicateCandidatesCollapse() throws IOException {
    String arch = "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_3x3~2|";
    String other = "|skip_connect~0|+|nor_conv_1x1~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_3x3~2|";
    Path file = tmp.resolve("dups.txt");
    Files.writeString(file, arch + "\n" + other + "\n\n" + arch + "\n");
    ScoringOutcome o = ProxyScoringJob.run(spark, args(tmp.resolve("dups"), "candidates.mode=file",
        "candidates.file=" + file, "proxies=[flops, params]"));
    assertEquals(2, o.candidates());
    assertEquals(2, o.tableRows());
  }

  @Test
  void anUnknownProxyIsRefusedWithTheValidNames() {
    String[] a = args(tmp.resolve("unknown-proxy"), "proxies=[synflow, snipp]");
    ConfigurationException e = assertThrows(ConfigurationException.class,
        () -> ProxyScoringJob.run(spark, a));
    assertTrue(e.getMessage().contains("snipp"), e.getMessage());
    assertEquals(2, ProxyScoringJob.execute(a, () -> spark));
    assertFalse(Files.exists(tmp.resolve("unknown-proxy")));
  }

  @Test
  void aMissingDataPathIsRefused() {
    Path missing = tmp.resolve("no-such-cifar");
    String[] a = args(tmp.resolve("missing-data"), "data.source=cifar10", "data.path=" + missing);
    InputException e = assertThrows(InputException.class, () -> ProxyScoringJob.run(spark, a));
    assertTrue(e.getMessage().contains("rdnas.data.path") && e.getMessage().contains(missing.toString()),
        e.getMessage());
    assertEquals(2, ProxyScoringJob.execute(a, () -> spark));
    assertFalse(Files.exists(tmp.resolve("missing-data")));
  }

  @Test
  void aBatchLargerThanTheDatasetIsRefusedBeforeAnyWork() {
    String[] a = args(tmp.resolve("big-batch"), "proxy.batch-size=128", "proxies=[snip]");
    InputException e = assertThrows(InputException.class, () -> ProxyScoringJob.run(spark, a));
    assertTrue(e.getMessage().contains("only 64 images"), e.getMessage());
    assertFalse(Files.exists(tmp.resolve("big-batch")));
  }

  @Test
  void anOutputHoldingAnotherRunIsRefusedAndLeftAlone() throws IOException {
    Path out = tmp.resolve("taken");
    ScoringOutcome first = ProxyScoringJob.run(spark, args(out, "candidates.sample-size=3",
        "proxies=[flops, params, synflow]"));
    Path file = out.resolve(RankingOutput.TABLE_DIR).resolve(MergeTask.FILE_NAME);
    byte[] before = Files.readAllBytes(file);
    Path report = out.resolve(ReportFolder.DIR).resolve("proxy-scoring").resolve("index.html");
    byte[] reportBefore = Files.readAllBytes(report);

    String[] other = args(out, "candidates.sample-size=3", "proxies=[flops, params, synflow]",
        "space.channels=5");
    InputException e = assertThrows(InputException.class, () -> ProxyScoringJob.run(spark, other));
    assertTrue(e.getMessage().contains("rdnas.space.channels: stored 4, this run 5"), e.getMessage());
    assertEquals(2, ProxyScoringJob.execute(other, () -> spark));
    String[] otherToo = concat(other, "scoring.resume=true");
    assertEquals(2, ProxyScoringJob.execute(otherToo, () -> spark));

    String[] same = args(out, "candidates.sample-size=3", "proxies=[flops, params, synflow]");
    InputException again = assertThrows(InputException.class,
        () -> ProxyScoringJob.run(spark, same));
    assertTrue(again.getMessage().contains("rdnas.scoring.resume=true"), again.getMessage());

    assertTrue(Arrays.equals(before, Files.readAllBytes(file)), "the table is untouched");
    assertTrue(Arrays.equals(reportBefore, Files.readAllBytes(report)), "the report is untouched");
    assertEquals(3, rows(first.table()).size());
    try (Stream<Path> s = Files.list(out)) {
      assertEquals(List.of("ranking", "report"), s.map(p -> p.getFileName().toString())
          .filter(n -> !n.startsWith(".") || n.startsWith(".ranking")).sorted()
          .collect(Collectors.toList()));
    }
  }

  @Test
  void theSessionUsesKryoWithRegistrationRequired() {
    assertEquals("org.apache.spark.serializer.KryoSerializer", spark.conf().get("spark.serializer"));
    assertEquals("true", spark.conf().get("spark.kryo.registrationRequired"));
    assertEquals(RdnasKryoRegistrator.class.getName(), spark.conf().get("spark.kryo.registrator"));
  }

  @Test
  void theJobChoosesWholeWavesOfSmallTasks() {
    assertEquals(14, ProxyScoring.partitions(0, 200, 2));
    assertEquals(6, ProxyScoring.partitions(0, 12, 2));
    assertEquals(978, ProxyScoring.partitions(0, 15_625, 2));
    assertEquals(3, ProxyScoring.partitions(0, 3, 8));
    assertEquals(5, ProxyScoring.partitions(5, 12, 2));
    assertEquals(4, ProxyScoring.partitions(9, 4, 2));
  }

  @Test
  void slicesCoverEveryIdOnce() {
    long[] ids = {1, 4, 9, 16, 25, 36, 49};
    List<long[]> s = ProxyScoring.slices(ids, 3);
    assertEquals(3, s.size());
    long[] all = s.stream().flatMapToLong(Arrays::stream).sorted().toArray();
    assertTrue(Arrays.equals(ids, all));
    assertNotEquals(0, s.get(2).length);
  }

  /** Copies rows [from, to) of {@code table} into a new rdnas file, as a killed or edited run would leave. */
  private static void copyRows(String table, String dir, String name, ScoringSettings settings,
      String kind, int from, int to) throws IOException {
    Map<String, String> meta = new java.util.HashMap<>(RankingOutput.at(table, new Configuration())
        .footer(new org.apache.hadoop.fs.Path(table, MergeTask.FILE_NAME)));
    meta.put(RankingTableSchema.META_TABLE, kind);
    List<Row> rows = spark.read().parquet(table).orderBy("arch_id").collectAsList();
    try (RankingFileWriter w = RankingFileWriter.open(new Configuration(),
        new org.apache.hadoop.fs.Path(dir), name, "test", settings.proxies(), meta)) {
      for (Row r : rows.subList(from, to)) {
        w.write(RankingRow.fromSpark(r, settings.proxies()));
      }
      w.commit();
    }
  }

  private static void deleteTree(Path p) throws IOException {
    try (Stream<Path> s = Files.walk(p)) {
      s.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach(x -> x.toFile().delete());
    }
  }

  private static String[] concat(String[] a, String... b) {
    String[] out = Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, out, a.length, b.length);
    return out;
  }
}
