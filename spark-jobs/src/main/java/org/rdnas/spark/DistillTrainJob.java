package org.rdnas.spark;

import java.io.IOException;
import org.apache.spark.sql.SparkSession;
import org.rdnas.config.RdnasConfig;
import org.rdnas.spark.training.DistillTraining;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Job 2, {@code spark-submit distill-train.jar [--config FILE] [key=value ...]}: trains the NB201
 * supernet by RD-NAS (ranking distillation from job 1's ranking table) or SPOS with
 * driver-coordinated data-parallel gradient averaging, checkpoints it, and evaluates how well it
 * ranks architectures ({@link DistillTraining}). Outputs go to {@code rdnas.output.path}:
 * {@code checkpoints/}, {@code metrics/}, {@code eval/}, {@code summary.json}, {@code report/}.
 */
public final class DistillTrainJob {
  static final String APP_NAME = "rdnas distill-train";
  public static final String JOB = "distill-train";
  private static final Logger LOG = LoggerFactory.getLogger(DistillTrainJob.class);

  private DistillTrainJob() {}

  public static void main(String[] args) {
    LazySession sessions = new LazySession(APP_NAME);
    int status = JobMain.run(JOB, () -> run(sessions.get(), RdnasConfig.load(args)),
        sessions::stop);
    if (status != 0) {
      System.exit(status);
    }
  }

  /** Runs the job with {@code args} on {@code spark} and returns its exit status ({@link JobMain}). */
  public static int execute(SparkSession spark, String... args) {
    try {
      run(spark, RdnasConfig.load(args));
      return JobMain.OK;
    } catch (Exception e) {
      return JobMain.status(JOB, e);
    }
  }

  /** Runs the job with {@code args}; throws where {@link #execute} returns a non-zero status. */
  public static DistillTraining.Outcome run(SparkSession spark, String... args) throws IOException {
    return run(spark, RdnasConfig.load(args));
  }

  static DistillTraining.Outcome run(SparkSession spark, RdnasConfig config) throws IOException {
    // On stdout, as job 1 prints it: what a run did is read there, its progress in the log.
    System.out.println(JOB + ": resolved configuration:\n" + config.render());
    LOG.info("Spark application {} on {}", spark.sparkContext().applicationId(),
        spark.sparkContext().master());
    return DistillTraining.run(spark, config);
  }
}
