package org.rdnas.spark;
import java.io.FileNotFoundException;
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
import org.rdnas.data.Cifar10;
import org.rdnas.data.CorruptDataException;
import org.rdnas.data.DataSource;
import org.rdnas.data.Datasets;
import org.rdnas.io.BuildInfo;
import org.rdnas.io.InputException;
import org.rdnas.io.OutputFolder;
import org.rdnas.io.OutputLease;
import org.rdnas.io.ReportFolder;
import org.rdnas.scoring.Candidates;
import org.rdnas.scoring.CorrelationReport;
import org.rdnas.scoring.PartSummary;
import org.rdnas.scoring.RankingTableSchema;
import org.rdnas.scoring.ScoringOutcome;
import org.rdnas.scoring.ScoringReport;
import org.rdnas.scoring.ScoringSettings;
import org.rdnas.space.Arch;
import org.rdnas.spark.scoring.MergeTask;
import org.rdnas.spark.scoring.ProxyScoring;
import org.rdnas.spark.scoring.RankingOutput;
import org.rdnas.spark.scoring.ScoringProgress;
import org.rdnas.spark.scoring.ScoringTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Job 1, {@code spark-submit proxy-scoring.jar [--config FILE] [key=value ...]}: scores candidate
 * architectures with zero-cost proxies across executors into the ranking table at
 * {@code <rdnas.output.path>/ranking}, then (with {@code rdnas.ground-truth.path}) reports how
 * well each proxy ranks them.
 *
 * <p>Every input is checked before any scoring starts. Tasks commit part files as they finish; the
 * driver merges them (with any earlier table when resuming) into one file sorted by arch id and
 * renames it into place, so the table is complete or absent. Scores depend only on the scoring
 * settings and the arch, so the table is the same whatever the partitioning.
 */
public final class ProxyScoringJob {
  static final String APP_NAME = "rdnas proxy scoring";
  static final String JOB = "proxy-scoring";

  private ProxyScoringJob() {}

  public static void main(String[] args) {
    LazySession sessions = new LazySession(APP_NAME);
    int status = JobMain.run(JOB, () -> ProxyScoring.run(sessions, RdnasConfig.load(args)), sessions::stop);
    if (status != 0) {
      System.exit(status);
    }
  }

  /** Runs the job and returns its exit status ({@link JobMain}). */
  public static int execute(String[] args, Supplier<SparkSession> sessions) {
    try {
      ProxyScoring.run(sessions, RdnasConfig.load(args));
      return JobMain.OK;
    } catch (Exception e) {
      return JobMain.status(JOB, e);
    }
  }

  /** Runs the job with {@code args} on {@code spark}; throws where {@link #execute} would exit. */
  public static ScoringOutcome run(SparkSession spark, String... args) throws IOException {
    return ProxyScoring.run(() -> spark, RdnasConfig.load(args));
  }
}
