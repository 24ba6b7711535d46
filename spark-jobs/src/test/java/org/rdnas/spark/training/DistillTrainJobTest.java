package org.rdnas.spark.training;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.rdnas.spark.DistillTrainJob;
import org.rdnas.spark.JobMain;
import org.rdnas.spark.LocalSpark;
import org.rdnas.spark.ReportAssertions;


import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.rdnas.train.TrainingRun;
import org.rdnas.train.LocalWorkers;
import org.rdnas.train.RunStore;
import org.rdnas.train.RunJournal;
import org.rdnas.train.TrainingSummary;
import org.rdnas.train.EvalArchs;
import org.rdnas.train.EvalInputs;
import org.rdnas.train.EvalRow;
import org.rdnas.train.StepRow;
import org.rdnas.train.SubnetEvaluator;
import org.rdnas.benchmark.Nb201Table;
import java.util.Optional;
import java.time.Instant;
import org.rdnas.config.ConfigurationException;
import org.rdnas.config.RdnasConfig;
import org.rdnas.io.InputException;
import org.rdnas.io.Json;
import org.rdnas.io.RunProvenance;
import org.rdnas.io.OutputLease;
import org.rdnas.nn.CellConvention;
import org.rdnas.nn.Nb201Network;
import org.rdnas.nn.Nb201Supernet;
import org.rdnas.nn.NetworkConfig;
import org.rdnas.space.Arch;
import org.rdnas.space.Nb201Space;
import org.rdnas.scoring.RankingTableSchema;
import org.rdnas.train.Checkpoint;
import org.rdnas.train.Search;
import org.rdnas.train.GradientWorker;
import org.rdnas.train.MarginRankingLoss;
import org.rdnas.train.RankingTable;
import org.rdnas.train.StepPlanner;
import org.rdnas.train.Teacher;
import org.rdnas.train.TrainData;
import org.rdnas.train.TrainingState;

/**
 * Job 2 end to end on {@code local[2]} with a tiny supernet (C=4, N=1), synthetic images and a
 * ranking table written here: both modes, the Spark path equal to the in-process LocalWorkers bit for
 * bit, W=1 and W=2 giving the same weights, a resumed run equal to an uninterrupted one, rounds of
 * local SGD (K > 1) reproducible and resumable, and bad inputs refused with a clear message before
 * anything is written.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DistillTrainJobTest {
  private static final Nb201Network TINY =
      Nb201Network.of(new NetworkConfig(4, 1, 3, 10, CellConvention.SEARCH));
  private static final Nb201Supernet SUPER = new Nb201Supernet(TINY);
  private static final ObjectMapper JSON = new ObjectMapper();
  /** 80 synthetic images, 32 held out: 48 to train on, 3 steps of 16 per epoch, 2 epochs. */
  private static final List<String> SMALL = List.of("space.name=nb201-no-none",
      "space.channels=4", "space.cells=1", "data.source=synthetic", "data.synthetic-size=80",
      "train.held-out=32", "train.epochs=2", "train.batch-size=16", "train.micro-batch=8",
      "train.lr=0.05", "train.checkpoint-every=2", "train.eval-every=1", "eval.archs=6",
      "eval.top-k=3", "eval.bootstrap=50", "eval.batch-size=32");
  private static final long STEPS = 6;

  @TempDir Path tmp;
  private SparkSession spark;
  private List<Arch> tableArchs;
  private boolean[] tableOk;
  private double[] tableFlops;
  private Path table;
  private Path truth;
  private Path twoWorkers;
  private LocalSpark local;
  /** What the two-worker run printed on stdout. */
  private String twoWorkersStdout;

  @BeforeAll
  void start(@TempDir Path shared) throws IOException {
    local = LocalSpark.startOneThread("DistillTrainJobTest");
    spark = local.session();
    // After Spark has set up logging: its INFO lines would bury a failure.
    Configurator.setRootLevel(Level.WARN);
    Configurator.setLevel("org.rdnas", Level.INFO);
    table = shared.resolve("ranking");
    writeRankingTable(table, 200);
    truth = shared.resolve("nb201.csv");
    writeGroundTruth(truth);
    twoWorkers = shared.resolve("two-workers");
    PrintStream stdout = System.out;
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
    try {
      assertEquals(0, DistillTrainJob.execute(spark, args(twoWorkers, "train.workers=2")));
    } finally {
      System.setOut(stdout);
    }
    twoWorkersStdout = printed.toString(StandardCharsets.UTF_8);
  }

  @AfterAll
  void stop() {
    if (local != null) {
      local.close();
    }
  }

  private String[] args(Path out, String... more) {
    List<String> a = new ArrayList<>(SMALL);
    a.add("output.path=" + out);
    a.add("ranking.path=" + table);
    a.add("ground-truth.path=" + truth);
    a.addAll(Arrays.asList(more));
    return a.toArray(new String[0]);
  }

  /**
   * {@code n} archs of the no-none space with FLOPs and params of the tiny supernet, a random
   * synflow column with gaps, and every 10th row failed.
   */
  private void writeRankingTable(Path path, int n) {
    tableArchs = Nb201Space.withoutNone().sample(n, 3);
    tableOk = new boolean[n];
    tableFlops = new double[n];
    SplittableRandom rng = new SplittableRandom(4);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      Arch a = tableArchs.get(i);
      tableOk[i] = i % 10 != 7;
      tableFlops[i] = TINY.macs(a);
      Double synflow = i % 13 == 0 ? null : rng.nextDouble();
      rows.add(RowFactory.create((long) a.id(), a.toString(), (long) Nb201Space.canonical(a).id(),
          tableFlops[i], (double) TINY.parameterCount(a), synflow, 1.0,
          tableOk[i] ? "ok" : "failed", tableOk[i] ? "" : "synflow: NaN", 0L));
    }
    StructType schema = new StructType()
        .add("arch_id", DataTypes.LongType, false).add("arch", DataTypes.StringType, false)
        .add("canonical_arch_id", DataTypes.LongType, false)
        .add("flops", DataTypes.DoubleType, true).add("params", DataTypes.DoubleType, true)
        .add("synflow", DataTypes.DoubleType, true).add("flops_ms", DataTypes.DoubleType, false)
        .add("status", DataTypes.StringType, false).add("error", DataTypes.StringType, false)
        .add("seed", DataTypes.LongType, false);
    spark.createDataFrame(rows, schema).coalesce(1).write().parquet(path.toString());
  }

  /** Ground truth for the whole no-none space: an accuracy that grows with FLOPs, plus noise. */
  private static void writeGroundTruth(Path path) throws IOException {
    SplittableRandom rng = new SplittableRandom(5);
    StringBuilder csv = new StringBuilder("arch_index,arch_str,valid_test_acc\n");
    Nb201Space.withoutNone().stream().forEach(a -> csv.append(a.id()).append(',').append(a)
        .append(',').append(80 + TINY.macs(a) / 2e5 + rng.nextDouble()).append('\n'));
    Files.writeString(path, csv);
  }

  private static Checkpoint checkpoint(Path out, long step) throws IOException {
    Path f = out.resolve("checkpoints").resolve(Checkpoint.fileName(step));
    try (InputStream in = Files.newInputStream(f)) {
      return Checkpoint.read(in, f.toString());
    }
  }

  private List<Row> sorted(Path parquet, String... order) {
    return spark.read().parquet(parquet.toString()).orderBy(order[0],
        Arrays.copyOfRange(order, 1, order.length)).collectAsList();
  }

  @Test
  void rdnasRunWritesCheckpointsMetricsEvalAndSummary() throws IOException {
    for (long s : new long[] {2, 4, 6}) {
      assertEquals(s, checkpoint(twoWorkers, s).step());
    }
    List<Row> metrics = sorted(twoWorkers.resolve("metrics"), "step");
    assertEquals(STEPS, metrics.size());
    for (int i = 0; i < STEPS; i++) {
      Row r = metrics.get(i);
      assertEquals(i, r.<Long>getAs("step"));
      assertEquals(i / 3, r.<Integer>getAs("epoch"));
      assertNotNull(r.getAs("arch_b"));
      assertTrue(r.<Double>getAs("ce_a") > 0 && r.<Double>getAs("ce_b") > 0);
      assertTrue(r.<Double>getAs("compute_seconds") > 0);
      assertEquals(r.<Double>getAs("step_seconds"),
          r.<Double>getAs("compute_seconds") + r.<Double>getAs("coordination_seconds"), 1e-9);
      assertEquals(16L, r.<Long>getAs("samples"));
    }
    // Eval after epoch 1 (step 3) and at the end (step 6), 6 archs each.
    List<Row> eval = sorted(twoWorkers.resolve("eval"), "round", "arch_id");
    assertEquals(12, eval.size());
    for (Row r : eval) {
      double acc = r.getAs("accuracy");
      assertTrue(acc >= 0 && acc <= 1);
      assertNotNull(r.getAs("ground_truth"));
      assertEquals(r.<Integer>getAs("round") == 0 ? 3L : 6L, r.<Long>getAs("step"));
    }
    JsonNode summary = JSON.readTree(twoWorkers.resolve("summary.json").toFile());
    // The typed record reads it back whole.
    try (InputStream in = Files.newInputStream(twoWorkers.resolve("summary.json"))) {
      assertEquals(summary.toString(),
          Json.MAPPER.valueToTree(TrainingSummary.read(in)).toString());
    }
    assertEquals("rdnas", summary.get("mode").asText());
    assertEquals(STEPS, summary.at("/training/steps").asLong());
    assertEquals(2, summary.at("/training/workers").asInt());
    assertTrue(summary.at("/throughput/images_per_second").asDouble() > 0);
    assertEquals(2, summary.at("/evaluation/rounds").size());
    assertEquals(6, summary.at("/evaluation/final/n").asInt());
    // Six steps of a C=4 net may leave every subnet at the same accuracy (tau undefined, null).
    assertTrue(summary.at("/evaluation/final/kendall_tau_b").has("estimate"));
    // Baselines over the eval archs the table lists (null when fewer than two).
    assertTrue(summary.at("/evaluation/baselines_vs_ground_truth").has("flops"));
    assertTrue(summary.at("/evaluation/baselines_vs_ground_truth").has("teacher"));
    assertEquals("flops", summary.at("/ranking_table/teacher/0").asText());
    assertEquals(2, summary.at("/config/rdnas/train/workers").asInt());
    // The search ranked the table's 200 archs; the summary names the best 10.
    List<Row> search = sorted(twoWorkers.resolve("search"), "combined_rank", "arch_id");
    assertEquals(200, search.size());
    assertEquals(200, summary.at("/search/count").asInt());
    assertEquals(10, summary.at("/search/top").size());
    assertEquals(search.get(0).<Long>getAs("arch_id"),
        summary.at("/search/top/0/arch_id").asLong());
    assertTrue(summary.at("/search/top/0/true_rank").isInt());
    String html = ReportAssertions.assertReport(twoWorkers, "distill-train",
        plots(summary, "losses.png", "lambda.png"));
    assertTrue(html.contains("throughput.images_per_second"), "the summary's metrics");
  }

  @Test
  void theJobEndsWithItsOutputsFiguresAndNextCommandOnStdout() throws IOException {
    String out = twoWorkersStdout;
    assertTrue(out.startsWith("distill-train: resolved configuration:"), out);
    TrainingSummary summary;
    try (InputStream in = Files.newInputStream(twoWorkers.resolve("summary.json"))) {
      summary = TrainingSummary.read(in);
    }
    String end = out.substring(out.indexOf("distill-train: outputs in "));
    assertTrue(end.lines().findFirst().orElseThrow().endsWith(twoWorkers.toString()), end);
    assertTrue(end.contains("rdnas training: 6 steps (2 epochs x 3 steps of 16 images), "
        + "supernet C=4, N=1"), end);
    TrainingSummary.Tau tau = summary.evaluation().finalReport().kendallTauB();
    // The figures are the summary's: the tau and its interval, the final round's mean accuracy.
    assertTrue(tau.estimate() == null ? end.contains("Kendall tau-b undefined over 6 eval archs")
        : end.contains(String.format(Locale.ROOT, "final Kendall tau-b %.3f (95%% interval %.3f to "
            + "%.3f) over 6 eval archs", tau.estimate(), tau.ci95Lower(), tau.ci95Upper())), end);
    assertTrue(end.contains(String.format(Locale.ROOT, "mean accuracy of the 6 eval archs %.2f%%",
        100 * summary.evaluation().rounds().get(1).meanAccuracy())), end);
    assertTrue(end.contains(String.format(Locale.ROOT, "throughput %.1f images/s",
        summary.throughput().imagesPerSecond())), end);
    assertTrue(end.contains("report (plots): "), end);
    assertTrue(end.contains(twoWorkers.resolve("report/distill-train/index.html").toString()), end);
    assertTrue(end.contains("next: the notebooks"), end);
    assertTrue(end.contains("RDNAS_RUN=" + twoWorkers + " RDNAS_RUNS=" + twoWorkers
        + " RDNAS_GROUND_TRUTH=" + truth), end);
    assertFalse(out.contains(" INFO "), "logs go to stderr, not stdout");
  }

  /** The report's plots: {@code first}, then Kendall tau where a round has one, then the scatter. */
  private static List<String> plots(JsonNode summary, String... first) {
    List<String> plots = new ArrayList<>(List.of(first));
    boolean tau = false;
    for (JsonNode round : summary.at("/evaluation/rounds")) {
      tau |= round.at("/supernet_vs_ground_truth/kendall_tau_b/estimate").isNumber();
    }
    if (tau) {
      plots.add("kendall-tau.png");
    }
    plots.add("final-accuracy.png");
    return plots;
  }

  /** The flops teacher over the table this test writes, as job 2 reads it. */
  private Teacher teacher() {
    Map<String, double[]> columns = new LinkedHashMap<>();
    columns.put("flops", tableFlops);
    return Teacher.of(RankingTable.of(tableArchs, tableOk, columns), List.of("flops"));
  }

  private StepPlanner planner(RdnasConfig config, TrainData data) {
    StepPlanner planner = StepPlanner.rdnas(config.train(), data.train().data().size(),
        config.train().effectiveMicroBatch(), config.distill(), teacher(),
        MarginRankingLoss.of(config.distill().margin()), config.space().searchSpace(), false);
    assertEquals(STEPS, planner.totalSteps());
    return planner;
  }

  /** The in-process reference of the run {@code args} configure, with W = {@code workers}. */
  private TrainingRun reference(NDManager m, String[] args, int workers) throws IOException {
    RdnasConfig config = RdnasConfig.load(args);
    TrainData data = TrainData.Spec.of(config).load(new Configuration());
    return TrainingRun.builder(TrainingState.start(m, SUPER, planner(config, data)),
        new LocalWorkers(m, new GradientWorker(SUPER, data.train()), workers)).build();
  }

  @Test
  void inProcessRunWithCheckpointsEvaluationAndResumeEqualsTheSparkRun() throws IOException {
    Path out = tmp.resolve("in-process");
    RdnasConfig config = RdnasConfig.load(args(out, "train.workers=2"));
    Configuration conf = new Configuration();
    TrainData data = TrainData.Spec.of(config).load(conf);
    RunStore store = RunStore.at(config.output().path(), conf);
    List<Long> archs = EvalInputs.archs(config.eval(), config.space().searchSpace(), conf);
    Nb201Table table = EvalInputs.groundTruth(config.groundTruth(), conf).orElseThrow();
    EvalArchs eval = new EvalArchs(archs,
        EvalInputs.truthOf(table, config.groundTruth().column(), archs), teacher().scores(archs),
        config.train().evalEvery());
    SubnetEvaluator.Recalibration recal = SubnetEvaluator.Recalibration.of(config.eval(),
        data.train());
    try (NDManager m = NDManager.newBaseManager()) {
      LocalWorkers workers = new LocalWorkers(m, new GradientWorker(SUPER, data.train()), 2,
          new SubnetEvaluator(SUPER, data.heldOut(), config.eval().batchSize()), recal);
      // Two steps, checkpointed; then a new driver resumes from the checkpoint it finds.
      TrainingRun first = TrainingRun.builder(TrainingState.start(m, SUPER, planner(config, data)),
              workers)
          .optEvaluation(eval).optCheckpointEvery(config.train().checkpointEvery())
          .optListeners(new RunJournal(store, config.toJson(), () -> { })).build();
      assertEquals(2, first.run(2).size());
      Checkpoint c = store.latestComplete().newest().orElseThrow().checkpoint();
      assertEquals(2, c.step());
      TrainingRun resumed = TrainingRun.builder(
              TrainingState.resume(c, SUPER, planner(config, data)), workers)
          .optEvaluation(eval).optCheckpointEvery(config.train().checkpointEvery())
          .optListeners(new RunJournal(store, config.toJson(), () -> { })).build();
      resumed.run();

      Checkpoint spark = checkpoint(twoWorkers, STEPS);
      assertArrayEquals(spark.weights(), checkpoint(out, STEPS).weights());
      assertArrayEquals(spark.momentum(), checkpoint(out, STEPS).momentum());
      RunStore sparkStore = RunStore.at(twoWorkers.toString(), conf);
      List<StepRow> metrics = store.readJournals(RunStore.METRICS, STEPS, StepRow.class);
      List<EvalRow> evals = store.readJournals(RunStore.EVAL, STEPS, EvalRow.class);
      assertEquals(losses(sparkStore.readJournals(RunStore.METRICS, STEPS, StepRow.class)),
          losses(metrics));
      assertEquals(sparkStore.readJournals(RunStore.EVAL, STEPS, EvalRow.class), evals);

      TrainingSummary.Inputs inputs = new TrainingSummary.Inputs(data.description(),
          data.heldOut().data().size(), recal == null ? 0
              : SubnetEvaluator.Recalibration.images(data.train().data().size()),
          table.source() + " column " + config.groundTruth().column(), Optional.empty(),
          Optional.of(teacher()), Optional.empty());
      JsonNode summary = Json.MAPPER.valueToTree(TrainingSummary.of(config, resumed,
          RunProvenance.start("distill-train", "test", null, "in-process", Instant.now(),
              Map.of(), config.toJson()), inputs, metrics, evals, "final"));
      JsonNode sparkSummary = JSON.readTree(twoWorkers.resolve("summary.json").toFile());
      for (String section : List.of("/final_epoch_losses", "/evaluation/rounds",
          "/evaluation/final", "/evaluation/baselines_vs_ground_truth/teacher",
          "/evaluation/bn", "/evaluation/ground_truth", "/training/steps")) {
        assertEquals(sparkSummary.at(section).toString(), summary.at(section).toString(), section);
      }
    }
  }

  private static List<Double> losses(List<StepRow> rows) {
    return rows.stream().map(StepRow::loss).toList();
  }

  @Test
  void sparkRunEqualsTheInProcessRunBitForBit() throws IOException {
    try (NDManager m = NDManager.newBaseManager()) {
      TrainingRun reference = reference(m, args(twoWorkers, "train.workers=2"), 2);
      reference.run(STEPS);
      assertArrayEquals(reference.state().weights(), checkpoint(twoWorkers, STEPS).weights());
    }
  }

  @Test
  void localSgdRoundsAreReproducibleResumableAndEqualTheInProcessRun() throws IOException {
    // K = 2 over 3 steps per epoch: rounds [0, 2), [2, 3) (one plain step), [3, 5), [5, 6).
    // Checkpoint-every 2 falls on round ends 2, then 5 (rounded up from 4), and the end, 6.
    String[] k2 = {"train.workers=2", "train.steps-per-round=2"};
    Path a = tmp.resolve("k2-a");
    Path b = tmp.resolve("k2-b");
    assertEquals(0, DistillTrainJob.execute(spark, args(a, k2)));
    assertEquals(0, DistillTrainJob.execute(spark, args(b, k2)));
    for (long s : new long[] {2, 5, 6}) {
      assertEquals(s, checkpoint(a, s).step());
    }
    assertFalse(Files.exists(a.resolve("checkpoints").resolve(Checkpoint.fileName(4))));
    assertArrayEquals(checkpoint(a, STEPS).weights(), checkpoint(b, STEPS).weights());
    assertArrayEquals(checkpoint(a, STEPS).momentum(), checkpoint(b, STEPS).momentum());
    assertFalse(Arrays.equals(checkpoint(a, STEPS).weights(),
        checkpoint(twoWorkers, STEPS).weights()), "local SGD is not synchronous SGD");
    List<Row> ma = sorted(a.resolve("metrics"), "step");
    List<Row> mb = sorted(b.resolve("metrics"), "step");
    assertEquals(STEPS, ma.size());
    for (int i = 0; i < STEPS; i++) {
      assertEquals(i, ma.get(i).<Long>getAs("step"));
      assertEquals(16L, ma.get(i).<Long>getAs("samples"));
      assertTrue(ma.get(i).<Double>getAs("compute_seconds") > 0);
      assertEquals(ma.get(i).<Double>getAs("loss"), mb.get(i).<Double>getAs("loss"));
    }
    assertEquals(12, sorted(a.resolve("eval"), "round", "arch_id").size(), "eval after epochs 1, 2");
    try (NDManager m = NDManager.newBaseManager()) {
      TrainingRun reference = reference(m, args(a, k2), 2);
      reference.run(STEPS);
      assertArrayEquals(reference.state().weights(), checkpoint(a, STEPS).weights());
    }

    // Resumed from the round end at step 2, the step-5 checkpoint torn: the same run.
    Path resumed = tmp.resolve("k2-resumed");
    copy(a, resumed);
    Path ckpts = resumed.resolve("checkpoints");
    Files.delete(ckpts.resolve(Checkpoint.fileName(6)));
    try (RandomAccessFile f = new RandomAccessFile(ckpts.resolve(Checkpoint.fileName(5)).toFile(),
        "rw")) {
      f.setLength(f.length() / 2);
    }
    deleteTree(resumed.resolve("metrics"));
    deleteTree(resumed.resolve("eval"));
    Files.delete(resumed.resolve("summary.json"));
    DistillTraining.Outcome o = DistillTrainJob.run(spark,
        args(resumed, "train.workers=2", "train.steps-per-round=2", "train.resume=true"));
    assertEquals(2L, o.summary().resumedFromStep());
    assertArrayEquals(checkpoint(a, STEPS).weights(), checkpoint(resumed, STEPS).weights());
    assertArrayEquals(checkpoint(a, STEPS).momentum(), checkpoint(resumed, STEPS).momentum());
    List<Row> mr = sorted(resumed.resolve("metrics"), "step");
    assertEquals(STEPS, mr.size());
    for (int i = 0; i < STEPS; i++) {
      assertEquals(ma.get(i).<Double>getAs("loss"), mr.get(i).<Double>getAs("loss"));
    }
  }

  @Test
  void oneWorkerRoundsOfThreeStepsEqualPlainStepsBitForBit() throws IOException {
    Path out = tmp.resolve("k3-one-worker");
    assertEquals(0, DistillTrainJob.execute(spark,
        args(out, "train.workers=1", "train.steps-per-round=3")));
    try (NDManager m = NDManager.newBaseManager()) {
      TrainingRun plain = reference(m, args(out, "train.workers=1"), 1);
      List<org.rdnas.train.StepMetrics> steps = plain.run(STEPS);
      assertArrayEquals(plain.state().weights(), checkpoint(out, STEPS).weights());
      assertArrayEquals(plain.state().momentum(), checkpoint(out, STEPS).momentum());
      List<Row> metrics = sorted(out.resolve("metrics"), "step");
      for (int i = 0; i < STEPS; i++) {
        assertEquals(steps.get(i).loss(), metrics.get(i).<Double>getAs("loss"));
      }
    }
  }

  @Test
  void oneAndTwoWorkersGiveTheSameWeights() throws IOException {
    Path one = tmp.resolve("one-worker");
    assertEquals(0, DistillTrainJob.execute(spark, args(one, "train.workers=1")));
    float[] w1 = checkpoint(one, STEPS).weights();
    float[] w2 = checkpoint(twoWorkers, STEPS).weights();
    float max = 0;
    for (int i = 0; i < w1.length; i++) {
      max = Math.max(max, Math.abs(w1[i] - w2[i]) / Math.max(1e-3f, Math.abs(w1[i])));
    }
    assertTrue(max < 1e-4, "largest relative difference " + max);
    assertFalse(Arrays.equals(w1, checkpoint(twoWorkers, 2).weights()), "the weights moved");
    // Same steps, same losses.
    List<Row> m1 = sorted(one.resolve("metrics"), "step");
    List<Row> m2 = sorted(twoWorkers.resolve("metrics"), "step");
    for (int i = 0; i < STEPS; i++) {
      assertEquals(m2.get(i).<Double>getAs("loss"), m1.get(i).<Double>getAs("loss"), 1e-4);
      assertEquals(m2.get(i).<String>getAs("arch_a"), m1.get(i).<String>getAs("arch_a"));
    }
  }

  @Test
  void resumedRunEndsWithTheWeightsOfAnUninterruptedOne() throws IOException {
    // A run that died while writing its step-4 checkpoint, after journaling later rows.
    Path out = tmp.resolve("resumed");
    copy(twoWorkers, out);
    Path ckpts = out.resolve("checkpoints");
    Files.delete(ckpts.resolve(Checkpoint.fileName(6)));
    try (RandomAccessFile f = new RandomAccessFile(ckpts.resolve(Checkpoint.fileName(4)).toFile(),
        "rw")) {
      f.setLength(f.length() / 2);
    }
    deleteTree(out.resolve("metrics"));
    deleteTree(out.resolve("eval"));
    Files.delete(out.resolve("summary.json"));
    deleteTree(out.resolve("report"));

    assertEquals(2, DistillTrainJob.execute(spark, args(out, "train.workers=2")),
        "an output with a run in it is refused without resume");
    DistillTraining.Outcome o = DistillTrainJob.run(spark,
        args(out, "train.workers=2", "train.resume=true"));
    assertEquals(2L, o.summary().resumedFromStep());
    assertArrayEquals(checkpoint(twoWorkers, STEPS).weights(), checkpoint(out, STEPS).weights());
    assertArrayEquals(checkpoint(twoWorkers, STEPS).momentum(), checkpoint(out, STEPS).momentum());
    List<Row> before = sorted(twoWorkers.resolve("metrics"), "step");
    List<Row> after = sorted(out.resolve("metrics"), "step");
    assertEquals(STEPS, after.size());
    for (int i = 0; i < STEPS; i++) {
      assertEquals(before.get(i).<Double>getAs("loss"), after.get(i).<Double>getAs("loss"));
    }
    List<Row> evalBefore = sorted(twoWorkers.resolve("eval"), "round", "arch_id");
    List<Row> evalAfter = sorted(out.resolve("eval"), "round", "arch_id");
    assertEquals(evalBefore.size(), evalAfter.size());
    for (int i = 0; i < evalBefore.size(); i++) {
      assertEquals(evalBefore.get(i).<Double>getAs("accuracy"),
          evalAfter.get(i).<Double>getAs("accuracy"));
    }
    // Made again, from the rows of every step.
    assertTrue(ReportAssertions.assertReport(out, "distill-train",
        plots(Json.MAPPER.valueToTree(o.summary()), "losses.png", "lambda.png"))
        .contains("Resumed at step 2."));
  }

  @Test
  void aFinishedRunSearchesAgainFromItsCheckpointWithoutTraining() throws IOException {
    Path out = tmp.resolve("search-again");
    copy(twoWorkers, out);
    float[] before = checkpoint(out, STEPS).weights();
    Path file = tmp.resolve("candidates.txt");
    List<Arch> three = tableArchs.subList(0, 3);
    Files.write(file, three.stream().map(Arch::toString).toList());
    DistillTraining.Outcome o = DistillTrainJob.run(spark, args(out, "train.workers=2",
        "train.resume=true", "search.candidates=file", "search.file=" + file));
    assertEquals(3, o.summary().search().count());
    assertEquals(3, sorted(out.resolve("search"), "arch_id").size());
    assertArrayEquals(before, checkpoint(out, STEPS).weights(), "nothing was trained");
    assertEquals(STEPS, o.summary().resumedFromStep());
  }

  @Test
  void sposRunTrainsOneSubnetPerStep() throws IOException {
    Path out = tmp.resolve("spos");
    // Four archs of the table and two beyond it.
    Path archs = tmp.resolve("eval-archs.txt");
    List<Arch> beyond = Nb201Space.withoutNone().stream().filter(a -> !tableArchs.contains(a))
        .limit(2).toList();
    Files.writeString(archs, "# eval archs\n" + tableArchs.get(0) + "\n" + tableArchs.get(1) + "\n"
        + tableArchs.get(2) + "\n" + tableArchs.get(3) + "\n\n" + beyond.get(0) + "\n"
        + beyond.get(1) + "\n");
    DistillTraining.Outcome o = DistillTrainJob.run(spark, args(out, "train.mode=spos",
        "train.workers=2", "train.eval-every=0", "eval.bn-recalibration=true",
        "eval.archs-file=" + archs));
    assertEquals(STEPS, o.steps());
    List<Row> metrics = sorted(out.resolve("metrics"), "step");
    assertEquals(STEPS, metrics.size());
    for (Row r : metrics) {
      assertNull(r.getAs("arch_b"));
      assertNull(r.getAs("rank_loss"));
      assertEquals(r.<Double>getAs("ce_a"), r.<Double>getAs("loss"));
    }
    List<Row> eval = sorted(out.resolve("eval"), "round", "arch_id");
    assertEquals(6, eval.size(), "one round, at the end");
    assertEquals("spos", o.summary().mode());
    assertTrue(o.summary().evaluation().bn().startsWith("recalibrated"));
    ReportAssertions.assertReport(out, "distill-train", plots(Json.MAPPER.valueToTree(o.summary()), "losses.png"));
    // SPOS does not need the table, but reports the teacher's scores when it is there.
    for (Row r : eval) {
      int row = tableArchs.indexOf(Arch.fromId(r.<Long>getAs("arch_id")));
      assertEquals(row >= 0 && row < 4, r.getAs("teacher_score") != null, r.toString());
    }
  }

  @Test
  void sposDrawsFromTheTableAndTheSearchRanksTheFinalRoundAtNoExtraCost() throws IOException {
    Path out = tmp.resolve("spos-table");
    DistillTraining.Outcome o = DistillTrainJob.run(spark, args(out, "train.mode=spos",
        "train.workers=2", "train.eval-every=0", "train.spos-subnets=table",
        "search.candidates=eval"));
    for (Row r : sorted(out.resolve("metrics"), "step")) {
      assertTrue(tableArchs.contains(Arch.parse(r.getAs("arch_a"))), r.toString());
    }
    Map<Long, Double> finalRound = new HashMap<>();
    for (Row r : sorted(out.resolve("eval"), "round", "arch_id")) {
      finalRound.put(r.getAs("arch_id"), r.getAs("accuracy"));
    }
    List<Row> search = sorted(out.resolve("search"), "arch_id");
    assertEquals(finalRound.size(), search.size(), "every eval arch, ranked");
    for (Row r : search) {
      assertEquals(finalRound.get(r.<Long>getAs("arch_id")), r.<Double>getAs("supernet_accuracy"));
    }
    TrainingSummary.SearchSummary s = o.summary().search();
    assertEquals("eval", s.candidates());
    assertEquals(List.of("supernet", "teacher", "combined"),
        s.found().stream().map(Search.Found::method).toList());
    Search.Found bySupernet = s.found().get(0);
    assertEquals(search.stream().mapToDouble(r -> r.<Double>getAs("supernet_accuracy")).max()
        .orElseThrow(), bySupernet.supernetAccuracy());
    assertEquals(STEPS * 16, s.cost().trainingImages());
    // The search table, like every table of the run, carries its provenance in the footer.
    for (String table : List.of("search", "metrics", "eval")) {
      try (org.apache.parquet.hadoop.ParquetFileReader r = org.apache.parquet.hadoop
          .ParquetFileReader.open(org.apache.parquet.hadoop.util.HadoopInputFile.fromPath(
              new org.apache.hadoop.fs.Path(out.resolve(table).resolve("part-00000.parquet")
                  .toString()), new Configuration()))) {
        Map<String, String> footer = r.getFooter().getFileMetaData().getKeyValueMetaData();
        assertEquals(table, footer.get(RankingTableSchema.META_TABLE));
        assertTrue(footer.get(RankingTableSchema.META_PROVENANCE)
            .contains(o.summary().provenance().runId()), footer.toString());
        assertNotNull(footer.get(RankingTableSchema.META_CONFIG));
      }
    }
    assertTrue(ReportAssertions.assertReport(out, "distill-train",
        plots(Json.MAPPER.valueToTree(o.summary()), "losses.png")).contains("best by"));
  }

  @Test
  void sposFromTheTableNeedsATable() throws IOException {
    assertEquals(2, DistillTrainJob.execute(spark, args(tmp.resolve("spos-no-table"),
        "train.mode=spos", "train.spos-subnets=table",
        "ranking.path=" + tmp.resolve("no-table-here"))));
    assertFalse(Files.exists(tmp.resolve("spos-no-table").resolve("summary.json")));
  }

  @Test
  void badInputsAreRefusedBeforeAnythingIsWritten() throws IOException {
    Path empty = tmp.resolve("empty-table");
    spark.read().parquet(table.toString()).limit(0).coalesce(1).write()
        .parquet(empty.toString());
    Map<String, String[]> cases = new LinkedHashMap<>();
    cases.put("no teacher column 'snip'|" + table, new String[] {"distill.teacher=[snip]"});
    cases.put("has no rows|" + empty, new String[] {"ranking.path=" + empty});
    cases.put("does not exist|" + tmp.resolve("nowhere"),
        new String[] {"ranking.path=" + tmp.resolve("nowhere")});
    cases.put("rdnas.data|" + tmp.resolve("no-cifar"),
        new String[] {"data.source=cifar10", "data.path=" + tmp.resolve("no-cifar")});
    cases.put("rdnas.train.mode|distil", new String[] {"train.mode=distil"});
    Path text = Files.writeString(tmp.resolve("ranking.csv"), "arch_id,status\n1,ok\n");
    cases.put("is not a Parquet file|" + text, new String[] {"ranking.path=" + text});
    cases.put("rdnas.train.workers|batch-size (16)", new String[] {"train.workers=17"});
    if (org.rdnas.nn.Devices.unusable(ai.djl.Device.gpu(0)) != null) {
      cases.put("rdnas.device = gpu|local", new String[] {"device=gpu"});
    }
    int i = 0;
    for (Map.Entry<String, String[]> c : cases.entrySet()) {
      Path out = tmp.resolve("bad-" + i++);
      String[] a = args(out, c.getValue());
      assertEquals(2, DistillTrainJob.execute(spark, a), c.getKey());
      RuntimeException e = assertThrows(RuntimeException.class, () -> DistillTrainJob.run(spark, a));
      assertTrue(e instanceof InputException || e instanceof ConfigurationException,
          e.toString());
      for (String part : c.getKey().split("\\|")) {
        assertTrue(e.getMessage().contains(part), "'" + part + "' in: " + e.getMessage());
      }
      assertFalse(Files.exists(out), "nothing written for " + c.getKey());
    }
  }

  @Test
  void aDivergingRunStopsNamingTheStepAndWritesNoCheckpoint() throws IOException {
    Path out = tmp.resolve("diverged");
    String[] a = args(out, "train.lr=1e12", "train.lr-min=0");
    assertEquals(JobMain.DIVERGED, DistillTrainJob.execute(spark, a));
    org.rdnas.train.TrainingDivergedException e = assertThrows(
        org.rdnas.train.TrainingDivergedException.class,
        () -> DistillTrainJob.run(spark, args(tmp.resolve("diverged-2"), "train.lr=1e12",
            "train.lr-min=0")));
    assertTrue(e.getMessage().contains("training diverged at step " + e.step()), e.getMessage());
    assertTrue(e.getMessage().contains("learning rate 1.0E12"), e.getMessage());
    // Every checkpoint written before the divergence reads back, and none lies at or after it.
    Path ckpts = out.resolve("checkpoints");
    if (Files.exists(ckpts)) {
      try (Stream<Path> files = Files.list(ckpts)) {
        for (Path f : files.filter(f -> f.getFileName().toString().endsWith(".ckpt")).toList()) {
          try (InputStream in = Files.newInputStream(f)) {
            assertTrue(Checkpoint.read(in, f.toString()).step() <= e.step(), f.toString());
          }
        }
      }
    }
    for (String name : List.of("eval", "metrics", "summary.json", "report")) {
      assertFalse(Files.exists(out.resolve(name)), name + " of a diverged run");
    }
    assertFalse(Files.exists(out.resolve(OutputLease.FILE)), "the lease is released");
  }

  @Test
  void resumeNeverDeletesUnreadableCheckpointsAndRefusesWhenNoneCanBeRead() throws IOException {
    Path out = tmp.resolve("unreadable");
    copy(twoWorkers, out);
    for (String name : List.of("metrics", "eval", "report")) {
      deleteTree(out.resolve(name));
    }
    Files.delete(out.resolve("summary.json"));
    Path ckpts = out.resolve("checkpoints");
    List<Path> files;
    try (Stream<Path> s = Files.list(ckpts)) {
      files = s.filter(f -> f.getFileName().toString().endsWith(".ckpt")).sorted().toList();
    }
    assertEquals(3, files.size());
    Map<Path, byte[]> before = new LinkedHashMap<>();
    for (Path f : files) {
      byte[] b = Files.readAllBytes(f);
      b[b.length / 2] ^= 0x5a;
      Files.write(f, b);
      before.put(f, b);
    }
    String[] a = args(out, "train.workers=2", "train.resume=true");
    InputException e = assertThrows(InputException.class, () -> DistillTrainJob.run(spark, a));
    for (Path f : files) {
      assertTrue(e.getMessage().contains(f.getFileName().toString() + ": "), e.getMessage());
    }
    assertTrue(e.getMessage().contains("fresh-start-if-unreadable"), e.getMessage());
    assertEquals(2, DistillTrainJob.execute(spark, a));
    for (Map.Entry<Path, byte[]> f : before.entrySet()) {
      assertArrayEquals(f.getValue(), Files.readAllBytes(f.getKey()), "untouched " + f.getKey());
    }

    // Asked for explicitly: the unreadable files move aside and the run starts over, ending where
    // an uninterrupted run ends.
    assertEquals(0, DistillTrainJob.execute(spark,
        args(out, "train.workers=2", "train.resume=true", "train.fresh-start-if-unreadable=true")));
    assertArrayEquals(checkpoint(twoWorkers, STEPS).weights(), checkpoint(out, STEPS).weights());
    List<Path> aside;
    try (Stream<Path> s = Files.walk(out.resolve("set-aside"))) {
      aside = s.filter(Files::isRegularFile).toList();
    }
    for (Map.Entry<Path, byte[]> f : before.entrySet()) {
      Path moved = aside.stream().filter(p -> p.getFileName().equals(f.getKey().getFileName()))
          .findFirst().orElseThrow(() -> new AssertionError(f.getKey() + " not set aside: " + aside));
      assertArrayEquals(f.getValue(), Files.readAllBytes(moved));
    }
  }

  @Test
  void oneOutputFolderHasOneWriter() throws IOException {
    Path out = tmp.resolve("leased");
    Files.createDirectories(out);
    Path lease = out.resolve(OutputLease.FILE);
    Files.writeString(lease, "{\"run_id\":\"other\",\"job\":\"distill-train\",\"host\":\"h1\","
        + "\"pid\":42,\"started\":\"2026-01-01T00:00:00Z\"}\n");
    InputException e = assertThrows(InputException.class,
        () -> DistillTrainJob.run(spark, args(out, "train.workers=2")));
    assertTrue(e.getMessage().contains("in use by another run: distill-train run other on host h1 "
        + "(pid 42)"), e.getMessage());
    assertTrue(Files.exists(lease), "the holder's lease stays");
    assertFalse(Files.exists(out.resolve("checkpoints")));
    // A holder whose heartbeat stopped two minutes ago (a killed driver) is taken over.
    Files.setLastModifiedTime(lease, java.nio.file.attribute.FileTime.fromMillis(
        System.currentTimeMillis() - 120_000));
    assertEquals(0, DistillTrainJob.execute(spark, args(out, "train.workers=2")));
    assertArrayEquals(checkpoint(twoWorkers, STEPS).weights(), checkpoint(out, STEPS).weights());
    assertFalse(Files.exists(lease), "released at the end");
  }

  private static void copy(Path from, Path to) throws IOException {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : s.toList()) {
        Path q = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(q);
        } else {
          Files.copy(p, q);
        }
      }
    }
  }

  private static void deleteTree(Path p) throws IOException {
    try (Stream<Path> s = Files.walk(p)) {
      for (Path q : s.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.delete(q);
      }
    }
  }
}
