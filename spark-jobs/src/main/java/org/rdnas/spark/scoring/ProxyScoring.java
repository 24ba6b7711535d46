package org.rdnas.spark.scoring;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Encoders;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.util.LongAccumulator;
import org.rdnas.benchmark.Nb201Table;
import org.rdnas.config.RdnasConfig;
import org.rdnas.io.OutputFolder;
import org.rdnas.io.OutputLease;
import org.rdnas.io.ReportFolder;
import org.rdnas.io.RunProvenance;
import org.rdnas.rank.Aggregate;
import org.rdnas.scoring.Candidates;
import org.rdnas.scoring.CorrelationReport;
import org.rdnas.scoring.PartSummary;
import org.rdnas.scoring.RankingTableSchema;
import org.rdnas.scoring.ScoringInputs;
import org.rdnas.scoring.ScoringOutcome;
import org.rdnas.scoring.ScoringReport;
import org.rdnas.scoring.ScoringSettings;
import org.rdnas.scoring.TableAggregates;
import org.rdnas.spark.ExecutorRuntime;
import org.rdnas.spark.HadoopConfBytes;
import org.rdnas.spark.JobMain;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Job 1's work: checks every input, scores the missing candidates in Spark tasks
 * ({@link ScoringTask}), merges the part files into the ranking table ({@link MergeTask}) and writes
 * its report. Entry point: {@link org.rdnas.spark.ProxyScoringJob}.
 */
public final class ProxyScoring {
  static final String JOB = "proxy-scoring";
  private static final Logger LOG = LoggerFactory.getLogger(ProxyScoring.class);
  private static final long PROGRESS_SECONDS = 5;
  /** Archs per task at most when the job chooses the partitioning: a lost task costs little. */
  private static final int MAX_ARCHS_PER_TASK = 16;
  /** Tasks per task slot at least, so that slots finishing early find work. */
  private static final int TASKS_PER_SLOT = 3;
  public static final String CORRELATION_FILE = "correlation.json";

  private ProxyScoring() {}

  /** Runs job 1 with {@code config} on the session {@code sessions} gives. */
  public static ScoringOutcome run(Supplier<SparkSession> sessions, RdnasConfig config) throws IOException {
    System.out.println("proxy-scoring: resolved configuration:\n" + config.render());
    SparkSession spark = sessions.get();
    LOG.info("Spark application {} on {}", spark.sparkContext().applicationId(),
        spark.sparkContext().master());
    Configuration hadoopConf = spark.sparkContext().hadoopConfiguration();
    ExecutorRuntime.checkOnDriver(spark.sparkContext(), config.device());
    String runId = runId();
    try (OutputLease lease = OutputLease.acquire(OutputFolder.open(config.output().path(),
        hadoopConf), hadoopConf, JOB, runId, config.output().leaseTimeout())) {
      return run(spark, config, hadoopConf, runId, lease);
    }
  }

  private static ScoringOutcome run(SparkSession spark, RdnasConfig config, Configuration hadoopConf,
      String runId, OutputLease lease) throws IOException {
    // Every input is checked here, before any work.
    ScoringInputs.checkSpace(config);
    Candidates candidates = Candidates.resolve(config.candidates(), config.space().searchSpace(),
        hadoopConf);
    String dataPath = ScoringInputs.dataPath(config, hadoopConf);
    ScoringInputs.DataShape shape = ScoringInputs.dataShape(config, hadoopConf);
    ScoringInputs.checkBatch(config, hadoopConf);
    Optional<Nb201Table> truth = config.groundTruth().pathIfSet().map(p ->
        CorrelationReport.readGroundTruth(p, config.groundTruth().column(), hadoopConf));
    ScoringSettings settings = ScoringSettings.of(config, dataPath, shape.classes());
    Map<String, String> identity = settings.identity();
    RunProvenance provenance = RunProvenance.start(JOB, runId,
        spark.sparkContext().applicationId(), spark.sparkContext().master(), Instant.now(),
        Map.of("spark", spark.version()), config.toJson());
    RankingOutput out = RankingOutput.at(config.output().path(), hadoopConf);
    out.recoverInterruptedCommit();
    out.checkReusable(identity, config.scoring().resume());
    out.setAsideUnreadableParts(runId);
    LOG.info("candidates: {}", candidates.description());

    long[] present = ids(spark, tableDirs(out));
    long[] missing = missing(candidates.ids(), present);
    long alreadyScored = candidates.size() - missing.length;
    if (alreadyScored > 0) {
      LOG.info("{} of {} candidates are already scored under {}; scoring the other {}",
          alreadyScored, candidates.size(), out.root(), missing.length);
    }
    long failedNow = 0;
    long t0 = System.nanoTime();
    if (missing.length > 0) {
      out.prepareParts(identity);
      failedNow = score(spark, config, settings, out, provenance, missing);
    }
    double seconds = (System.nanoTime() - t0) / 1e9;
    JobMain.throwIfStopRequested("after scoring, before the merge; the part files stay for "
        + "rdnas.scoring.resume=true");
    lease.check();
    List<Aggregate> aggregates = config.tableAggregates();
    // Aggregates always cover the whole table: a merge makes them again, as does a change of them.
    if (!out.partFiles().isEmpty()
        || !TableAggregates.definitions(aggregates).equals(out.tableMetadata()
            .map(TableAggregates::stored).orElse(TableAggregates.definitions(aggregates)))) {
      merge(spark, settings, aggregates, out, provenance, candidates);
    }
    return report(spark, config, settings, out, candidates, alreadyScored, missing.length,
        failedNow, seconds, truth);
  }

  /** Scores {@code ids} into part files; returns how many of them failed. */
  private static long score(SparkSession spark, RdnasConfig config, ScoringSettings settings,
      RankingOutput out, RunProvenance provenance, long[] ids) {
    String runId = provenance.runId();
    JavaSparkContext jsc = JavaSparkContext.fromSparkContext(spark.sparkContext());
    int slots = Math.max(1, jsc.defaultParallelism()
        / Math.max(1, spark.sparkContext().getConf().getInt("spark.task.cpus", 1)));
    int partitions = partitions(config.scoring().partitions(), ids.length, slots);
    LOG.info("scoring {} archs with {} in {} tasks on {} task slot(s); parts go to {}", ids.length,
        settings.proxies(), partitions, slots, out.parts());

    LongAccumulator scored = jsc.sc().longAccumulator("rdnas archs scored");
    LongAccumulator failed = jsc.sc().longAccumulator("rdnas archs failed");
    Map<String, String> footer = footer(provenance, settings, "ranking-part");
    ScoringTask task = new ScoringTask(settings, new HadoopConfBytes(jsc.hadoopConfiguration()),
        out.parts().toString(), runId, footer, scored, failed);
    ScoringProgress progress = ScoringProgress.start(scored, failed, ids.length, PROGRESS_SECONDS);
    spark.sparkContext().addSparkListener(progress);
    try {
      jsc.setJobGroup("rdnas-scoring-" + runId, "rdnas: score " + ids.length + " archs", false);
      List<PartSummary> parts = jsc.parallelize(slices(ids, partitions), partitions)
          .mapPartitions(task).collect();
      long n = parts.stream().mapToLong(PartSummary::archs).sum();
      long bad = parts.stream().mapToLong(PartSummary::failed).sum();
      LOG.info("{}", progress.line());
      LOG.info("scored {} archs in {} part files ({} failed) on {}", n, parts.size(), bad,
          new TreeSet<>(parts.stream().map(PartSummary::device).toList()));
      return bad;
    } finally {
      jsc.clearJobGroup();
      spark.sparkContext().removeSparkListener(progress);
      progress.close();
    }
  }

  /**
   * The number of scoring tasks: {@code configured} when set, else enough for every slot to take
   * a few and for no task to hold more than {@value #MAX_ARCHS_PER_TASK} archs, rounded up to whole
   * waves of the slots so that no slot idles through the last one; never more than the archs.
   */
  static int partitions(int configured, int archs, int slots) {
    if (configured > 0) {
      return Math.min(configured, archs);
    }
    int p = Math.max(TASKS_PER_SLOT * slots, (archs + MAX_ARCHS_PER_TASK - 1) / MAX_ARCHS_PER_TASK);
    p = (p + slots - 1) / slots * slots;
    return Math.min(p, archs);
  }

  /** Round-robin slices of the sorted ids, so every task gets a similar mix of cheap and dear archs. */
  static List<long[]> slices(long[] ids, int partitions) {
    List<long[]> out = new ArrayList<>(partitions);
    for (int p = 0; p < partitions; p++) {
      long[] s = new long[(ids.length - p + partitions - 1) / partitions];
      for (int i = 0; i < s.length; i++) {
        s[i] = ids[p + i * partitions];
      }
      out.add(s);
    }
    return out;
  }

  /**
   * Merges the committed table (if any) and the part files into one file sorted by arch id, in a
   * sibling folder that is then renamed into place; the parts are removed after.
   */
  private static void merge(SparkSession spark, ScoringSettings settings,
      List<Aggregate> aggregates, RankingOutput out, RunProvenance provenance,
      Candidates candidates) throws IOException {
    String runId = provenance.runId();
    List<Path> inputs = new ArrayList<>(out.tableFiles());
    inputs.addAll(out.partFiles());
    long[] ids = ids(spark, tableDirs(out));
    long[] lacking = missing(candidates.ids(), ids);
    if (lacking.length > 0) {
      throw new IllegalStateException(lacking.length + " candidates have no row after scoring, e.g. "
          + settings.space().format(lacking[0]) + "; the parts under " + out.parts() + " are kept");
    }
    Map<String, String> footer = footer(provenance, settings, RankingTableSchema.TABLE_NAME);
    List<Map<String, String>> inputFooters = new ArrayList<>();
    for (Path p : inputs) {
      inputFooters.add(out.footer(p));
    }
    for (String key : List.of(RankingTableSchema.META_DEVICE, RankingTableSchema.META_PYTORCH,
        RankingTableSchema.META_DJL, RankingTableSchema.META_DATASET, RankingTableSchema.META_VERSION)) {
      footer.put(key, union(inputFooters, key));
    }
    footer.put(RankingTableSchema.META_ROWS, Long.toString(ids.length));
    HashMap<Long, double[]> aggregateValues = aggregateValues(spark, tableDirs(out),
        settings.proxies(), aggregates);
    footer.put(RankingTableSchema.META_AGGREGATES, TableAggregates.footer(aggregates, ids.length));
    Path temp = out.tempTable(runId);
    boolean committed = false;
    try {
      JavaSparkContext.fromSparkContext(spark.sparkContext())
          .setJobDescription("rdnas: merge " + ids.length + " rows into " + out.table());
      spark.read().parquet(strings(tableDirs(out)))
          .repartition(1)
          .sortWithinPartitions(RankingTableSchema.ARCH_ID)
          .foreachPartition(new MergeTask(settings.proxies(),
              aggregates.stream().map(Aggregate::name).toList(), aggregateValues,
              new HadoopConfBytes(spark.sparkContext().hadoopConfiguration()), temp.toString(),
              footer, ids.length));
      out.commit(temp, runId);
      committed = true;
      out.deleteParts();
    } finally {
      if (!committed) {
        out.deleteQuietly(temp);
      }
    }
  }

  /**
   * Each arch's aggregate values (in {@code aggregates}' order), computed on the driver over every
   * row of the table folders {@code dirs}: the committed table and the new parts.
   */
  private static HashMap<Long, double[]> aggregateValues(SparkSession spark, List<Path> dirs,
      List<String> proxies, List<Aggregate> aggregates) {
    if (aggregates.isEmpty()) {
      return new HashMap<>();
    }
    List<String> cols = new ArrayList<>(List.of(RankingTableSchema.ARCH_ID));
    cols.addAll(proxies);
    TreeMap<Long, double[]> byId = new TreeMap<>();
    for (Row r : spark.read().parquet(strings(dirs)).selectExpr(cols.toArray(new String[0]))
        .collectAsList()) {
      double[] v = new double[proxies.size()];
      for (int j = 0; j < v.length; j++) {
        v[j] = r.isNullAt(1 + j) ? Double.NaN : r.getDouble(1 + j);
      }
      byId.putIfAbsent(r.getLong(0), v); // a part committed twice holds the same scores
    }
    LOG.info("aggregates over {} rows: {}", byId.size(), TableAggregates.definitions(aggregates));
    return TableAggregates.compute(byId, proxies, aggregates);
  }

  private static ScoringOutcome report(SparkSession spark, RdnasConfig config,
      ScoringSettings settings, RankingOutput out, Candidates candidates, long alreadyScored,
      long scoredNow, long failedNow, double seconds, Optional<Nb201Table> truth) throws IOException {
    String table = out.table().toString();
    Dataset<Row> df = spark.read().parquet(table);
    List<String> proxies = new ArrayList<>(settings.proxies());
    for (Aggregate a : config.tableAggregates()) {
      proxies.add(a.name());
    }
    List<String> cols = new ArrayList<>(List.of(RankingTableSchema.ARCH_ID, RankingTableSchema.STATUS));
    cols.addAll(proxies);
    List<Row> rows = df.selectExpr(cols.toArray(new String[0])).collectAsList();
    long[] ids = new long[rows.size()];
    Map<String, double[]> values = new LinkedHashMap<>();
    for (String p : proxies) {
      values.put(p, new double[rows.size()]);
    }
    long failed = 0;
    for (int i = 0; i < rows.size(); i++) {
      Row r = rows.get(i);
      ids[i] = r.getLong(0);
      if (!RankingTableSchema.OK.equals(r.getString(1))) {
        failed++;
      }
      for (int j = 0; j < proxies.size(); j++) {
        values.get(proxies.get(j))[i] = r.isNullAt(2 + j) ? Double.NaN : r.getDouble(2 + j);
      }
    }
    Optional<CorrelationReport> correlation = truth.map(t -> CorrelationReport.compute(ids, values,
        t, config.groundTruth().column(), settings.channels(), settings.cells()));
    if (correlation.isPresent()) {
      out.writeAtomically(new Path(out.root(), CORRELATION_FILE), correlation.get().toJson());
    }

    StringBuilder sb = new StringBuilder("\n");
    sb.append(String.format("proxy-scoring: ranking table %s%n", table));
    sb.append(String.format("  %d archs (%d ok, %d failed), proxies %s%n", rows.size(),
        rows.size() - failed, failed, String.join(", ", proxies)));
    sb.append(String.format("  this run scored %d archs (%d failed) in %s%s; %d of the %d "
            + "candidates were already scored%n", scoredNow, failedNow,
        ScoringProgress.formatSeconds(seconds),
        scoredNow > 0 ? String.format(" (%.2f archs/s)", scoredNow / seconds) : "",
        alreadyScored, candidates.size()));
    if (!proxies.isEmpty()) {
      String first = proxies.get(0);
      sb.append(String.format("  top 5 by %s:%n", first));
      for (Row r : df.where(functions.col(first).isNotNull())
          .orderBy(functions.col(first).desc(), functions.col(RankingTableSchema.ARCH_ID))
          .select(RankingTableSchema.ARCH_ID, RankingTableSchema.ARCH, first).limit(5).collectAsList()) {
        sb.append(String.format("    %5d  %-80s %.6g%n", r.getLong(0), r.getString(1), r.getDouble(2)));
      }
    }
    correlation.ifPresent(c -> sb.append(c.render().indent(2)).append(String.format(
        "  (also in %s)%n", new Path(out.root(), CORRELATION_FILE))));
    ScoringOutcome outcome = new ScoringOutcome(table, candidates.size(), alreadyScored, scoredNow,
        failedNow, rows.size(), failed, correlation);
    ReportFolder.writeOrWarn("proxy-scoring", out.root(), spark.sparkContext().hadoopConfiguration(),
        () -> ScoringReport.of(outcome, candidates.description(), values, tableMetadata(out),
            config.render(), spark.version()))
        .ifPresent(index -> sb.append(String.format("  report (plots): %s%n", index)));
    sb.append("  look at it:\n");
    sb.append(String.format("    pyspark / spark-shell:  spark.read.parquet(\"%s\").orderBy(\"arch_id\").show()%n", table));
    sb.append(String.format("    python (pandas+pyarrow): pandas.read_parquet(\"%s\")%n", localPath(table)));
    sb.append(String.format("    its metadata (config, versions, device, dataset): "
        + "pyarrow.parquet.read_metadata(\"%s/%s\").metadata%n", localPath(table), MergeTask.FILE_NAME));
    sb.append(nextCommand(config));
    System.out.print(sb);
    return outcome;
  }

  /**
   * Job 2's command on this table, the step after job 1: the same output folder (job 2 reads
   * {@code <output.path>/ranking} by default), and the same configuration file and arguments.
   */
  static String nextCommand(RdnasConfig config) {
    String out = RdnasConfig.defaults().output().path().equals(config.output().path()) ? ""
        : " output.path=" + config.output().path();
    return String.format("  next: train the supernet on this table (job 2), with this run's "
        + "--config and key=value arguments:%n    deploy/local/spark-submit "
        + "spark-jobs/target/distill-train.jar%s%n", out);
  }

  private static Map<String, String> tableMetadata(RankingOutput out) {
    try {
      return out.tableMetadata().orElse(Map.of());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The footer every file of this run carries; table files add where and with what they ran. */
  private static Map<String, String> footer(RunProvenance provenance, ScoringSettings settings,
      String tableKind) {
    Map<String, String> m = new HashMap<>();
    m.put(RankingTableSchema.META_TABLE, tableKind);
    m.put(RankingTableSchema.META_IDENTITY, RankingOutput.identityJson(settings.identity()));
    m.put(RankingTableSchema.META_PROVENANCE, provenance.toJson());
    m.put(RankingTableSchema.META_CONFIG, provenance.config().toString());
    m.put(RankingTableSchema.META_VERSION, provenance.versions().get("rdnas"));
    m.put(RankingTableSchema.META_BATCH_SIZE, Integer.toString(settings.batchSize()));
    m.put(RankingTableSchema.META_PROXIES, String.join(",", settings.proxies()));
    m.put(RankingTableSchema.META_CREATED, provenance.started());
    return m;
  }

  /** The distinct values of {@code key} over {@code footers} (each possibly a "; " list). */
  private static String union(List<Map<String, String>> footers, String key) {
    TreeSet<String> values = new TreeSet<>();
    for (Map<String, String> f : footers) {
      String v = f.get(key);
      if (v != null && !v.isBlank()) {
        values.addAll(Arrays.asList(v.split("; ")));
      }
    }
    return String.join("; ", values);
  }

  /** The distinct arch ids in the ranking-table folders {@code dirs}, sorted (a task committed twice: once). */
  private static long[] ids(SparkSession spark, List<Path> dirs) {
    if (dirs.isEmpty()) {
      return new long[0];
    }
    List<Long> ids = spark.read().parquet(strings(dirs)).select(RankingTableSchema.ARCH_ID)
        .as(Encoders.LONG()).collectAsList();
    return ids.stream().mapToLong(Long::longValue).sorted().distinct().toArray();
  }

  /** The ids of sorted {@code wanted} that sorted {@code have} lacks. */
  static long[] missing(long[] wanted, long[] have) {
    return Arrays.stream(wanted).filter(id -> Arrays.binarySearch(have, id) < 0).toArray();
  }

  /**
   * The folders holding rows of this output: the table and the parts folder, each when it has part
   * files. Spark is given folders, not files: past 32 paths it lists them in a Spark job of its own,
   * whose Hadoop {@code Path[]} Kryo (registration required) would refuse. Hidden files in them
   * ({@code _identity.json}, in-progress parts) are skipped by Spark's reader. Given the hidden
   * parts folder alone, Spark reads it but warns "All paths were ignored"; conf/log4j2.properties
   * drops that one false alarm.
   */
  private static List<Path> tableDirs(RankingOutput out) throws IOException {
    List<Path> dirs = new ArrayList<>();
    if (!out.tableFiles().isEmpty()) {
      dirs.add(out.table());
    }
    if (!out.partFiles().isEmpty()) {
      dirs.add(out.parts());
    }
    return dirs;
  }

  private static String[] strings(List<Path> paths) {
    return paths.stream().map(Path::toString).toArray(String[]::new);
  }

  private static String localPath(String table) {
    return table.startsWith("file:") ? new Path(table).toUri().getPath() : table;
  }

  /** A run id that sorts by start time and tells apart runs started in the same second. */
  private static String runId() {
    return DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(Instant.now())
        + "-" + String.format("%04x", ThreadLocalRandom.current().nextInt(0x10000));
  }
}
