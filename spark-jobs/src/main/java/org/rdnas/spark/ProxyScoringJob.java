package org.rdnas.spark;
import java.io.IOException;
import java.util.function.Supplier;
import org.apache.spark.sql.SparkSession;
import org.rdnas.config.RdnasConfig;
import org.rdnas.scoring.ScoringOutcome;
import org.rdnas.spark.scoring.ProxyScoring;

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
