package org.rdnas.spark.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.rdnas.config.RdnasConfig;
import org.rdnas.config.TrainConfig;
import org.rdnas.rank.RankingReport;
import org.rdnas.space.Arch;
import org.rdnas.spark.ExecutorRuntime;
import org.rdnas.spark.HadoopConfBytes;
import org.rdnas.spark.JobInputException;
import org.rdnas.spark.JobMain;
import org.rdnas.spark.OutputFolder;
import org.rdnas.spark.OutputLease;
import org.rdnas.spark.ReportFolder;
import org.rdnas.train.RoundPlan;
import org.rdnas.train.StepMetrics;
import org.rdnas.train.StepPlan;
import org.rdnas.train.StepPlanner;
import org.rdnas.train.Teacher;
import org.rdnas.train.TrainingState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Job 2's driver: trains the supernet by RD-NAS or SPOS with data-parallel gradient averaging on
 * Spark ({@link SparkWorkers}), or with local SGD in rounds of K steps, checkpoints every N steps
 * (at the end of the round reaching them) and at the end, evaluates the eval archs every E epochs
 * and at the end, and writes {@code metrics/}, {@code eval/} and {@code summary.json}
 * ({@link RunStore}), then {@code report/} ({@link TrainingReport}). The {@link TrainingState} it
 * drives is the one the in-process {@link org.rdnas.train.Trainer} drives, so both compute the
 * same run.
 */
public final class DistillTraining {
  private static final Logger LOG = LoggerFactory.getLogger(DistillTraining.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  /** Training images whose BN statistics a recalibrated evaluation averages. */
  static final int RECALIBRATION_IMAGES = 1024;
  /** Eval tasks per task slot, so that slots finishing early find work. */
  private static final int EVAL_TASKS_PER_SLOT = 4;
  private static final double PROGRESS_SECONDS = 5;

  private final SparkSession spark;
  private final RdnasConfig config;
  private final TrainInputs in;
  private final String runId;
  private final OutputLease lease;
  private final int[] evalIds;
  private final double[] evalTruth;
  private final Double[] evalTeacher;

  private DistillTraining(SparkSession spark, RdnasConfig config, TrainInputs in, String runId,
      OutputLease lease) {
    this.spark = spark;
    this.config = config;
    this.in = in;
    this.runId = runId;
    this.lease = lease;
    List<Arch> archs = in.evalArchs();
    this.evalIds = archs.stream().mapToInt(Arch::id).toArray();
    this.evalTruth = in.truth().map(t -> EvalInputs.truthOf(t, config.groundTruth().column(), archs))
        .orElse(null);
    this.evalTeacher = new Double[archs.size()];
    in.teacher().ifPresent(t -> {
      for (int i = 0; i < archs.size(); i++) {
        int row = t.table().rowOf(archs.get(i));
        evalTeacher[i] = row >= 0 && t.eligible(row) ? t.score(row) : null;
      }
    });
  }

  /** What a finished run leaves: its output folder, final checkpoint and summary. */
  public record Outcome(String output, String finalCheckpoint, long steps, ObjectNode summary) {}

  /**
   * Runs job 2 with {@code config} on {@code spark}.
   *
   * @throws JobInputException for an input the user must fix (nothing is written then)
   */
  public static Outcome run(SparkSession spark, RdnasConfig config) throws IOException {
    org.apache.hadoop.conf.Configuration conf = spark.sparkContext().hadoopConfiguration();
    ExecutorRuntime.checkOnDriver(spark.sparkContext(), config.device());
    String runId = UUID.randomUUID().toString();
    try (OutputLease lease = OutputLease.acquire(OutputFolder.open(config.output().path(), conf),
        conf, "distill-train", runId, config.output().leaseTimeout())) {
      TrainInputs in = TrainInputs.resolve(spark, config);
      return new DistillTraining(spark, config, in, runId, lease).train();
    }
  }

  private Outcome train() throws IOException {
    Instant started = Instant.now();
    long t0 = System.nanoTime();
    TrainConfig t = config.train();
    StepPlanner planner = in.planner();
    TrainingState state;
    if (in.resumed().isPresent()) {
      state = in.resumed().get();
    } else {
      try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
        state = TrainingState.start(m, in.network(), planner);
      }
    }
    long startStep = state.step();
    RunStore store = in.store();
    store.setAsideAfter(startStep, runId);
    long total = planner.totalSteps();
    List<Long> evalPoints = evalPoints(planner, t.evalEvery());
    LOG.info("{} training, run {}: {} epochs x {} steps of {} images ({} micro-batches of {}), "
            + "W = {} workers, K = {} steps per round, {} parameters, {} eval archs; {}",
        t.mode().configName(), runId, t.epochs(), planner.stepsPerEpoch(), t.batchSize(),
        (t.batchSize() + planner.microBatch() - 1) / planner.microBatch(), planner.microBatch(),
        t.workers(), t.stepsPerRound(), state.parameterCount(), evalIds.length,
        startStep == 0 ? "starting" : "resuming at step " + startStep);

    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    if (t.workers() > jsc.defaultParallelism()) {
      LOG.warn("rdnas.train.workers = {} exceeds the {} task slots: each step waits for tasks to "
          + "queue", t.workers(), jsc.defaultParallelism());
    }
    WorkerRuntime.Recalibration recal = null;
    if (config.eval().bnRecalibration()) {
      int images = recalibrationImages();
      int batch = Math.min(config.eval().batchSize(), images);
      recal = new WorkerRuntime.Recalibration((images + batch - 1) / batch, batch,
          config.eval().seed());
    }
    WorkerRuntime.Settings settings = new WorkerRuntime.Settings(runId, in.dataSpec(),
        config.space().channels(), config.space().cells(), config.device(),
        config.eval().batchSize(), recal);
    TrainProgress progress = new TrainProgress(total, t.epochs(), startStep, PROGRESS_SECONDS);
    long trainNanos = 0;
    long samples = 0;
    String finalCheckpoint;
    try (SparkWorkers workers = new SparkWorkers(jsc, settings,
        new HadoopConfBytes(spark.sparkContext().hadoopConfiguration()), t.workers())) {
      List<StepRow> pending = new ArrayList<>();
      while (!state.done()) {
        long v = state.step();
        JobMain.throwIfStopRequested("at step " + v + " of " + total + "; resume from the last "
            + "checkpoint with rdnas.train.resume=true");
        long begin = System.nanoTime();
        RoundPlan round = state.planRound();
        List<StepMetrics> applied;
        long computeNanos;
        if (round.local()) {
          SparkWorkers.RoundResults r = workers.round(round, v, state::weights, state::momentum);
          applied = state.applyRound(round, r.byWorker());
          computeNanos = r.maxComputeNanos();
        } else {
          StepPlan plan = round.steps().get(0);
          SparkWorkers.StepSums sums = workers.step(plan, v, state::weights);
          applied = List.of(state.apply(plan, sums.total()));
          computeNanos = sums.maxComputeNanos();
        }
        long roundNanos = System.nanoTime() - begin;
        trainNanos += roundNanos;
        for (StepMetrics m : applied) {
          samples += m.samples();
          // A round's wall and compute time are shared evenly by its steps.
          StepRow row = StepRow.of(m, t.workers(), roundNanos / applied.size(),
              computeNanos / applied.size());
          pending.add(row);
          progress.step(row);
        }
        long next = state.step();
        // Rounds never cross an epoch end, so every evaluation point is a round end.
        if (evalPoints.contains(next)) {
          evaluate(workers, state, next, evalPoints.indexOf(next));
        }
        // Checkpoints fall on round ends: the first at or after each multiple of checkpoint-every.
        if (next / t.checkpointEvery() != v / t.checkpointEvery() || state.done()) {
          // The journal first: a checkpoint implies the metrics of every step before it.
          lease.check();
          store.writeJournal(RunStore.METRICS, next, pending);
          pending.clear();
          Path f = store.writeCheckpoint(state.checkpoint(config.toJson()));
          LOG.info("checkpoint {}", f);
        }
      }
      if (!store.hasJournal(RunStore.EVAL, total)) {
        // A resumed run that had finished training but not its final evaluation.
        evaluate(workers, state, total, evalPoints.indexOf(total));
      }
      finalCheckpoint = new Path(store.checkpointDir(),
          org.rdnas.train.Checkpoint.fileName(total)).toString();
    }

    List<StepRow> metrics = store.readJournals(RunStore.METRICS, total, StepRow.class);
    List<EvalRow> evals = store.readJournals(RunStore.EVAL, total, EvalRow.class);
    if (metrics.size() != total) {
      LOG.warn("the metrics journals hold {} rows for {} steps", metrics.size(), total);
    }
    lease.check();
    store.commitTable(metricsTable(metrics), RunStore.METRICS, runId);
    store.commitTable(evalTable(evals), RunStore.EVAL, runId);
    double wall = (System.nanoTime() - t0) / 1e9;
    ObjectNode summary = summary(started, wall, startStep, state, metrics, evals, trainNanos,
        samples, finalCheckpoint);
    store.commitFile(RunStore.SUMMARY, JSON.writerWithDefaultPrettyPrinter()
        .writeValueAsBytes(summary));
    // After every other output, from all rows: a resumed run's report covers the whole run.
    ReportFolder.writeOrWarn("distill-train", store.root(),
        spark.sparkContext().hadoopConfiguration(), () -> TrainingReport.of(metrics, evals,
            summary, store.root().toString(), config.render()));
    LOG.info("done in {}: outputs in {}", TrainProgress.duration(wall), store.root());
    return new Outcome(store.root().toString(), finalCheckpoint, total, summary);
  }

  /** Training images a recalibrated evaluation runs through each subnet (no more than there are). */
  private int recalibrationImages() {
    return Math.min(RECALIBRATION_IMAGES, in.data().train().data().size());
  }

  /** Versions (steps done) after which the eval archs are measured: every E epochs and the end. */
  static List<Long> evalPoints(StepPlanner planner, int everyEpochs) {
    List<Long> points = new ArrayList<>();
    long total = planner.totalSteps();
    if (everyEpochs > 0) {
      long every = (long) everyEpochs * planner.stepsPerEpoch();
      for (long v = every; v < total; v += every) {
        points.add(v);
      }
    }
    points.add(total);
    return points;
  }

  private void evaluate(SparkWorkers workers, TrainingState state, long version, int round)
      throws IOException {
    long begin = System.nanoTime();
    int slots = Math.max(1, spark.sparkContext().defaultParallelism());
    double[] acc = workers.evaluate(evalIds, version, state::weights,
        slots * EVAL_TASKS_PER_SLOT);
    int epoch = (int) (version / in.planner().stepsPerEpoch());
    List<EvalRow> rows = new ArrayList<>();
    for (int i = 0; i < evalIds.length; i++) {
      Double truth = evalTruth == null || Double.isNaN(evalTruth[i]) ? null : evalTruth[i];
      rows.add(new EvalRow(round, version, epoch, evalIds[i], Arch.fromId(evalIds[i]).toString(),
          acc[i], truth, evalTeacher[i]));
    }
    in.store().writeJournal(RunStore.EVAL, version, rows);
    double mean = java.util.Arrays.stream(acc).average().orElse(Double.NaN);
    String report = evalTruth == null ? "no ground truth configured"
        : Reports.line(Reports.of(acc, evalTruth, config.eval()));
    LOG.info(String.format(Locale.ROOT, "evaluation round %d at step %d (epoch %d): %d archs in "
            + "%.1f s, mean accuracy %.4f; %s", round, version, epoch, evalIds.length,
        (System.nanoTime() - begin) / 1e9, mean, report));
  }

  private Dataset<Row> metricsTable(List<StepRow> rows) {
    StructType schema = schema(new Object[][] {
        {"step", DataTypes.LongType, false}, {"epoch", DataTypes.IntegerType, false},
        {"arch_a", DataTypes.StringType, false}, {"arch_b", DataTypes.StringType, true},
        {"preferred", DataTypes.StringType, true}, {"lambda", DataTypes.DoubleType, false},
        {"lr", DataTypes.DoubleType, false}, {"samples", DataTypes.LongType, false},
        {"ce_a", DataTypes.DoubleType, false}, {"ce_b", DataTypes.DoubleType, true},
        {"rank_loss", DataTypes.DoubleType, true}, {"loss", DataTypes.DoubleType, false},
        {"workers", DataTypes.IntegerType, false}, {"step_seconds", DataTypes.DoubleType, false},
        {"compute_seconds", DataTypes.DoubleType, false},
        {"coordination_seconds", DataTypes.DoubleType, false},
        {"images_per_second", DataTypes.DoubleType, false}});
    List<Row> out = new ArrayList<>(rows.size());
    for (StepRow r : rows) {
      out.add(RowFactory.create(r.step(), r.epoch(), r.archA(), r.archB(), r.preferred(),
          r.lambda(), r.lr(), r.samples(), r.ceA(), r.ceB(), r.rankLoss(), r.loss(), r.workers(),
          r.stepSeconds(), r.computeSeconds(), r.coordinationSeconds(), r.imagesPerSecond()));
    }
    return spark.createDataFrame(out, schema);
  }

  private Dataset<Row> evalTable(List<EvalRow> rows) {
    StructType schema = schema(new Object[][] {
        {"round", DataTypes.IntegerType, false}, {"step", DataTypes.LongType, false},
        {"epoch", DataTypes.IntegerType, false}, {"arch_id", DataTypes.LongType, false},
        {"arch", DataTypes.StringType, false}, {"accuracy", DataTypes.DoubleType, false},
        {"ground_truth", DataTypes.DoubleType, true},
        {"teacher_score", DataTypes.DoubleType, true}});
    List<Row> out = new ArrayList<>(rows.size());
    for (EvalRow r : rows) {
      out.add(RowFactory.create(r.round(), r.step(), r.epoch(), r.archId(), r.arch(), r.accuracy(),
          r.groundTruth(), r.teacherScore()));
    }
    return spark.createDataFrame(out, schema);
  }

  private static StructType schema(Object[][] fields) {
    List<StructField> f = new ArrayList<>();
    for (Object[] x : fields) {
      f.add(DataTypes.createStructField((String) x[0], (DataType) x[1], (Boolean) x[2]));
    }
    return DataTypes.createStructType(f);
  }

  private ObjectNode summary(Instant started, double wall, long startStep, TrainingState state,
      List<StepRow> metrics, List<EvalRow> evals, long trainNanos, long samples,
      String finalCheckpoint) throws IOException {
    TrainConfig t = config.train();
    StepPlanner planner = in.planner();
    ObjectNode o = JSON.createObjectNode();
    o.put("job", "distill-train");
    o.put("mode", t.mode().configName());
    o.put("run_id", runId);
    o.put("spark_application_id", spark.sparkContext().applicationId());
    o.put("master", spark.sparkContext().master());
    o.put("started", started.toString());
    o.put("finished", Instant.now().toString());
    o.put("wall_seconds", wall);
    if (startStep > 0) {
      o.put("resumed_from_step", startStep);
      o.put("resumed_from", in.resumedFrom().orElse(""));
    } else {
      o.putNull("resumed_from_step");
    }
    ObjectNode steps = o.putObject("training");
    steps.put("steps", planner.totalSteps());
    steps.put("steps_this_run", planner.totalSteps() - startStep);
    steps.put("epochs", t.epochs());
    steps.put("steps_per_epoch", planner.stepsPerEpoch());
    steps.put("batch_size", t.batchSize());
    steps.put("micro_batch", planner.microBatch());
    steps.put("workers", t.workers());
    steps.put("parameters", state.parameterCount());
    steps.put("supernet", "C=" + config.space().channels() + ", N=" + config.space().cells());
    steps.put("data", in.data().description());
    steps.put("final_checkpoint", finalCheckpoint);

    // Throughput of the steps this run trained (a resumed run's earlier steps are another run's).
    List<StepRow> mine = metrics.stream().filter(r -> r.step() >= startStep).toList();
    ObjectNode speed = o.putObject("throughput");
    double stepSum = mine.stream().mapToDouble(StepRow::stepSeconds).sum();
    double computeSum = mine.stream().mapToDouble(StepRow::computeSeconds).sum();
    Reports.put(speed, "images_per_second", trainNanos > 0 ? samples / (trainNanos / 1e9)
        : Double.NaN);
    Reports.put(speed, "mean_step_seconds", mine.isEmpty() ? Double.NaN : stepSum / mine.size());
    Reports.put(speed, "mean_compute_seconds",
        mine.isEmpty() ? Double.NaN : computeSum / mine.size());
    Reports.put(speed, "mean_coordination_seconds",
        mine.isEmpty() ? Double.NaN : (stepSum - computeSum) / mine.size());
    Reports.put(speed, "coordination_fraction",
        stepSum > 0 ? (stepSum - computeSum) / stepSum : Double.NaN);
    // Medians leave out the first steps' one-off costs (loading images on executors, JIT).
    Reports.put(speed, "median_step_seconds", median(mine, StepRow::stepSeconds));
    Reports.put(speed, "median_compute_seconds", median(mine, StepRow::computeSeconds));
    Reports.put(speed, "median_coordination_seconds",
        median(mine, StepRow::coordinationSeconds));
    Reports.put(speed, "median_images_per_second", median(mine, StepRow::imagesPerSecond));

    // Losses of the last epoch.
    int lastEpoch = t.epochs() - 1;
    List<StepRow> last = metrics.stream().filter(r -> r.epoch() == lastEpoch).toList();
    ObjectNode losses = o.putObject("final_epoch_losses");
    Reports.put(losses, "ce_a", last.stream().mapToDouble(StepRow::ceA).average().orElse(Double.NaN));
    if (t.mode() == TrainConfig.Mode.RDNAS) {
      Reports.put(losses, "ce_b", last.stream().mapToDouble(r -> r.ceB() == null ? Double.NaN
          : r.ceB()).average().orElse(Double.NaN));
      Reports.put(losses, "rank_loss", last.stream().mapToDouble(r -> r.rankLoss() == null
          ? Double.NaN : r.rankLoss()).average().orElse(Double.NaN));
    }
    Reports.put(losses, "loss", last.stream().mapToDouble(StepRow::loss).average()
        .orElse(Double.NaN));

    in.ranking().ifPresent(r -> {
      ObjectNode table = o.putObject("ranking_table");
      table.put("path", r.path());
      table.put("rows", r.rows());
      table.put("rows_in_space", r.table().size());
      in.teacher().ifPresent(teacher -> {
        table.set("teacher", JSON.valueToTree(teacher.columns()));
        table.put("eligible_rows", teacher.eligibleCount());
      });
    });
    if (t.mode() == TrainConfig.Mode.RDNAS) {
      ObjectNode d = o.putObject("distill");
      d.put("threshold", config.distill().threshold());
      d.put("lambda", config.distill().lambda().configName());
      d.put("lambda_max", config.distill().lambdaMax());
      d.put("margin", config.distill().margin().configName());
    }
    o.set("evaluation", evaluationSummary(evals));
    ObjectNode versions = o.putObject("versions");
    Engine engine = Engine.getInstance();
    versions.put("djl", Engine.getDjlVersion());
    versions.put("engine", engine.getEngineName() + " " + engine.getVersion());
    versions.put("spark", spark.version());
    o.set("config", JSON.readTree(config.toJson()));
    return o;
  }

  private static double median(List<StepRow> rows, java.util.function.ToDoubleFunction<StepRow> f) {
    double[] v = rows.stream().mapToDouble(f).sorted().toArray();
    if (v.length == 0) {
      return Double.NaN;
    }
    return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
  }

  private ObjectNode evaluationSummary(List<EvalRow> evals) {
    ObjectNode e = JSON.createObjectNode();
    e.put("archs", evalIds.length);
    e.put("archs_source", config.eval().archsFileIfSet()
        .map(f -> "file " + f).orElse("sample with seed " + config.eval().seed()));
    e.put("held_out_images", in.data().heldOut().data().size());
    e.put("bn", config.eval().bnRecalibration()
        ? "recalibrated on " + recalibrationImages() + " training images" : "batch statistics");
    e.put("ground_truth", in.truth().map(tt -> tt.source() + " column "
        + config.groundTruth().column()).orElse(null));
    Map<Integer, List<EvalRow>> byRound = new TreeMap<>();
    for (EvalRow r : evals) {
      byRound.computeIfAbsent(r.round(), k -> new ArrayList<>()).add(r);
    }
    ArrayNode rounds = e.putArray("rounds");
    ObjectNode finalReport = null;
    for (List<EvalRow> rows : byRound.values()) {
      ObjectNode round = rounds.addObject();
      EvalRow first = rows.get(0);
      round.put("round", first.round());
      round.put("step", first.step());
      round.put("epoch", first.epoch());
      Reports.put(round, "mean_accuracy",
          rows.stream().mapToDouble(EvalRow::accuracy).average().orElse(Double.NaN));
      double[] acc = rows.stream().mapToDouble(EvalRow::accuracy).toArray();
      double[] truth = rows.stream().mapToDouble(r -> r.groundTruth() == null ? Double.NaN
          : r.groundTruth()).toArray();
      ObjectNode report = Reports.json(Reports.of(acc, truth, config.eval()));
      round.set("supernet_vs_ground_truth", report);
      finalReport = report;
    }
    e.set("final", finalReport);
    if (evalTruth != null) {
      // The ranking the supernet should beat: the teacher's own, and every proxy's, on the same
      // archs.
      ObjectNode baselines = e.putObject("baselines_vs_ground_truth");
      Optional<Teacher> teacher = in.teacher();
      teacher.ifPresent(tt -> {
        double[] v = new double[evalIds.length];
        for (int i = 0; i < v.length; i++) {
          v[i] = evalTeacher[i] == null ? Double.NaN : evalTeacher[i];
        }
        baselines.set("teacher", Reports.json(Reports.of(v, evalTruth, config.eval())));
      });
      in.ranking().ifPresent(r -> {
        Map<String, ObjectNode> byColumn = new LinkedHashMap<>();
        for (String c : r.table().columnNames()) {
          double[] v = new double[evalIds.length];
          for (int i = 0; i < v.length; i++) {
            int row = r.table().rowOf(Arch.fromId(evalIds[i]));
            v[i] = row < 0 || !r.table().ok(row) ? Double.NaN : r.table().value(c, row);
          }
          byColumn.put(c, Reports.json(Reports.of(v, evalTruth, config.eval())));
        }
        byColumn.forEach(baselines::set);
      });
    }
    return e;
  }
}
