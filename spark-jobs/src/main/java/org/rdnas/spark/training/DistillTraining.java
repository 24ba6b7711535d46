package org.rdnas.spark.training;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.rdnas.config.RdnasConfig;
import org.rdnas.config.SearchConfig;
import org.rdnas.config.TrainConfig;
import org.rdnas.io.AtomicCommit;
import org.rdnas.io.Json;
import org.rdnas.io.OutputFolder;
import org.rdnas.io.OutputLease;
import org.rdnas.io.ReportFolder;
import org.rdnas.io.RunProvenance;
import org.rdnas.scoring.RankingTableSchema;
import org.rdnas.space.Arch;
import org.rdnas.spark.DistillTrainJob;
import org.rdnas.spark.ExecutorRuntime;
import org.rdnas.spark.HadoopConfBytes;
import org.rdnas.spark.JobMain;
import org.rdnas.spark.RecordParquet;
import org.rdnas.train.Checkpoint;
import org.rdnas.train.EvalRow;
import org.rdnas.train.RunJournal;
import org.rdnas.train.RunStore;
import org.rdnas.train.Search;
import org.rdnas.train.StepPlanner;
import org.rdnas.train.StepRow;
import org.rdnas.train.SubnetEvaluator;
import org.rdnas.train.TrainProgress;
import org.rdnas.train.TrainingListener;
import org.rdnas.train.TrainingReport;
import org.rdnas.train.TrainingRun;
import org.rdnas.train.TrainingState;
import org.rdnas.train.TrainingSummary;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Job 2's driver: wires a {@link TrainingRun} to {@link SparkWorkers}, so that its steps (or rounds
 * of local SGD) and evaluations run as Spark jobs, with the journal, checkpoint, progress and
 * stop-request listeners; then ranks the search candidates with the trained supernet
 * ({@link Search}) and writes {@code metrics/}, {@code eval/}, {@code search/} and {@code summary.json}
 * ({@link RunStore}, {@link TrainingSummary}) and {@code report/} ({@link TrainingReport}).
 */
public final class DistillTraining {
  private static final Logger LOG = LoggerFactory.getLogger(DistillTraining.class);
  private static final double PROGRESS_SECONDS = 5;
  /** The search's table under the output folder. */
  static final String SEARCH = "search";

  private DistillTraining() {}

  /** What a finished run leaves: its output folder, final checkpoint and summary. */
  public record Outcome(String output, String finalCheckpoint, long steps,
      TrainingSummary summary) {}

  /**
   * Runs job 2 with {@code config} on {@code spark}.
   *
   * @throws org.rdnas.io.InputException for an input the user must fix (nothing is written then)
   */
  public static Outcome run(SparkSession spark, RdnasConfig config) throws IOException {
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    ExecutorRuntime.checkOnDriver(spark.sparkContext(), config.device());
    String runId = UUID.randomUUID().toString();
    try (OutputLease lease = OutputLease.acquire(OutputFolder.open(config.output().path(), conf),
        conf, "distill-train", runId, config.output().leaseTimeout())) {
      return train(spark, config, TrainInputs.resolve(spark, config), runId, lease);
    }
  }

  private static Outcome train(SparkSession spark, RdnasConfig config, TrainInputs in,
      String runId, OutputLease lease) throws IOException {
    long t0 = System.nanoTime();
    RunProvenance provenance = RunProvenance.start(DistillTrainJob.JOB, runId,
        spark.sparkContext().applicationId(), spark.sparkContext().master(), Instant.now(),
        Map.of("spark", spark.version()), config.toJson());
    TrainConfig t = config.train();
    StepPlanner planner = in.planner();
    TrainingState state = in.resumed().orElseGet(() -> {
      try (NDManager m = NDManager.newBaseManager(Device.cpu())) {
        return TrainingState.start(m, in.network(), planner);
      }
    });
    RunStore store = in.store();
    store.setAsideAfter(state.step(), runId);
    long total = planner.totalSteps();
    LOG.info("{} training, run {}: {} epochs x {} steps of {} images ({} micro-batches of {}), "
            + "W = {} workers, K = {} steps per round, {} parameters, {} eval archs; {}",
        t.mode().configName(), runId, t.epochs(), planner.stepsPerEpoch(), t.batchSize(),
        (t.batchSize() + planner.microBatch() - 1) / planner.microBatch(), planner.microBatch(),
        t.workers(), t.stepsPerRound(), state.parameterCount(), in.eval().archs().size(),
        state.step() == 0 ? "starting" : "resuming at step " + state.step());
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    if (t.workers() > jsc.defaultParallelism()) {
      LOG.warn("rdnas.train.workers = {} exceeds the {} task slots: each step waits for tasks to "
          + "queue", t.workers(), jsc.defaultParallelism());
    }
    SubnetEvaluator.Recalibration recal = SubnetEvaluator.Recalibration.of(config.eval(),
        in.data().train());
    TaskSettings settings = new TaskSettings(runId, in.dataSpec(), config.space(),
        in.network().classes(), config.device(), config.eval().batchSize(),
        recal == null ? null : new TaskSettings.Recalibration(recal.batches(), recal.batchSize(),
            recal.seed()));
    TrainingListener stopRequests = new TrainingListener() {
      @Override
      public void beforeRound(TrainingRun run, long step) {
        JobMain.throwIfStopRequested("at step " + step + " of " + total + "; resume from the "
            + "last checkpoint with rdnas.train.resume=true");
      }
    };
    TrainingRun run;
    List<Long> candidates = in.searchCandidates();
    boolean fromEval = config.search().candidates() == SearchConfig.Candidates.EVAL;
    List<SubnetEvaluator.Result> results = null;
    try (SparkWorkers workers = new SparkWorkers(jsc, settings, new HadoopConfBytes(
        spark.sparkContext().hadoopConfiguration()), t.workers())) {
      run = TrainingRun.builder(state, workers)
          .optEvaluation(in.eval())
          .optCheckpointEvery(t.checkpointEvery())
          .optFinalEvaluationDone(store.hasJournal(RunStore.EVAL, total))
          .optListeners(stopRequests, new RunJournal(store, config.toJson(), lease::check),
              new TrainProgress(total, t.epochs(), state.step(), PROGRESS_SECONDS, config.eval()))
          .build();
      run.run();
      if (!candidates.isEmpty() && !fromEval) {
        LOG.info("search: ranking {} candidates ({}) with the trained supernet", candidates.size(),
            config.search().candidates().configName());
        results = workers.evaluate(candidates.stream().mapToLong(Long::longValue).toArray(), total,
            state::weights);
      }
    }
    String finalCheckpoint = new Path(store.checkpointDir(), Checkpoint.fileName(total))
        .toString();

    List<StepRow> metrics = store.readJournals(RunStore.METRICS, total, StepRow.class);
    List<EvalRow> evals = store.readJournals(RunStore.EVAL, total, EvalRow.class);
    if (metrics.size() != total) {
      LOG.warn("the metrics journals hold {} rows for {} steps", metrics.size(), total);
    }
    if (fromEval) {
      results = finalRound(evals, candidates, total);
    }
    List<Search.Row> search = candidates.isEmpty() ? List.of() : Search.rank(candidates, results,
        in.teacher().orElse(null), config.search().supernetWeight(), in.truth().orElse(null),
        config.groundTruth().column(),
        config.space().name().isNb201() ? config.space().space() : null, in.network()::code);
    RunProvenance finished = provenance.finish((System.nanoTime() - t0) / 1e9);
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    lease.check();
    commitTable(store, conf, RunStore.METRICS, metrics, StepRow.class, finished, runId);
    commitTable(store, conf, RunStore.EVAL, evals, EvalRow.class, finished, runId);
    if (!search.isEmpty()) {
      commitTable(store, conf, SEARCH, search, Search.Row.class, finished, runId);
    }
    TrainingSummary.Inputs inputs = new TrainingSummary.Inputs(in.data().description(),
        in.data().heldOut().data().size(), recal == null ? 0
            : SubnetEvaluator.Recalibration.images(in.data().train().data().size()),
        in.truth().map(tt -> tt.source() + " column " + config.groundTruth().column())
            .orElse(null),
        in.ranking().map(r -> new TrainingSummary.Ranking(r.path(), r.rows(), r.table())),
        in.teacher(), in.resumedFrom());
    TrainingSummary summary = TrainingSummary.of(config, run, finished, inputs, metrics, evals,
        finalCheckpoint);
    if (!search.isEmpty()) {
      TrainingSummary.SearchCost cost = new TrainingSummary.SearchCost(
          in.ranking().map(RankingTableReader.Loaded::rows).orElse(0L),
          total * t.batchSize(), summary.provenance().wallSeconds(), jsc.defaultParallelism());
      summary = summary.withSearch(new TrainingSummary.SearchSummary(
          config.search().candidates().configName(), search.size(),
          config.search().supernetWeight(), Search.found(search, in.truth().orElse(null)), cost,
          search.subList(0, Math.min(config.search().topK(), search.size())),
          in.ranking().map(r -> Search.agreement(search, r.table())).orElse(Map.of())));
    }
    TrainingSummary written = summary;
    store.commitFile(RunStore.SUMMARY, written.toJson());
    // After every other output, from all rows: a resumed run's report covers the whole run.
    Optional<Path> report = ReportFolder.writeOrWarn("distill-train", store.root(),
        spark.sparkContext().hadoopConfiguration(), () -> TrainingReport.of(metrics, evals,
            Json.MAPPER.valueToTree(written), store.root().toString(), config.render()));
    LOG.info("done in {}: outputs in {}",
        TrainProgress.duration(written.provenance().wallSeconds()), store.root());
    System.out.print(written.endOfRun(store.root(), report, config.groundTruth().pathIfSet()));
    return new Outcome(store.root().toString(), finalCheckpoint, total, written);
  }

  /** The results of {@code archs} in the evaluation round at step {@code step}. */
  private static List<SubnetEvaluator.Result> finalRound(List<EvalRow> evals, List<Long> archs,
      long step) {
    Map<Long, SubnetEvaluator.Result> byArch = new HashMap<>();
    for (EvalRow r : evals) {
      if (r.step() == step) {
        byArch.put(r.archId(), new SubnetEvaluator.Result(r.accuracy(),
            r.loss() == null ? Double.NaN : r.loss()));
      }
    }
    return archs.stream().map(a -> {
      SubnetEvaluator.Result res = byArch.get(a);
      if (res == null) {
        throw new IllegalStateException("the evaluation round at step " + step + " has no row for "
            + "eval arch " + a + ": cannot rank the eval archs from it");
      }
      return res;
    }).toList();
  }

  /**
   * Writes {@code rows} as the Parquet table {@code <root>/<name>}, with the run's provenance in
   * its footer as job 1's ranking table carries it: to a temporary folder first, then renamed over
   * any previous one.
   */
  private static <R extends Record> void commitTable(RunStore store, Configuration conf,
      String name, List<R> rows, Class<R> type, RunProvenance provenance, String runId)
      throws IOException {
    Path target = new Path(store.root(), name);
    Path tmp = new Path(store.root(), "." + name + "-" + runId + ".tmp");
    store.fileSystem().delete(tmp, true);
    Map<String, String> footer = Map.of(
        RankingTableSchema.META_TABLE, name,
        RankingTableSchema.META_PROVENANCE, provenance.toJson(),
        RankingTableSchema.META_CONFIG, provenance.config().toString(),
        RankingTableSchema.META_VERSION, provenance.versions().get("rdnas"),
        RankingTableSchema.META_CREATED, provenance.started());
    RecordParquet.write(conf, new Path(tmp, "part-00000.parquet"), rows, type, footer);
    AtomicCommit.replace(store.fileSystem(), tmp, target);
  }
}
