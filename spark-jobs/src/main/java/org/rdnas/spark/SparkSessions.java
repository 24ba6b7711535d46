package org.rdnas.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * The Spark settings every rdnas job runs with: Kryo with registration required (our classes in
 * {@link RdnasKryoRegistrator}) and Spark's console progress bar unless switched off. Settings
 * given to spark-submit are kept; a registrator of the user's is kept next to ours.
 */
public final class SparkSessions {
  static final String REGISTRATOR = RdnasKryoRegistrator.class.getName();

  private SparkSessions() {}

  /**
   * Adds the rdnas settings to {@code builder}, keeping what spark-submit already set; call it
   * before any {@code config} of one's own, which then wins.
   */
  public static SparkSession.Builder configure(SparkSession.Builder builder) {
    SparkConf given = new SparkConf(); // spark-submit's --conf values, as system properties
    builder.config("spark.serializer", "org.apache.spark.serializer.KryoSerializer")
        .config("spark.kryo.registrationRequired", "true");
    String registrators = given.get("spark.kryo.registrator", "");
    if (!registrators.contains(REGISTRATOR)) {
      builder.config("spark.kryo.registrator",
          registrators.isBlank() ? REGISTRATOR : registrators + "," + REGISTRATOR);
    }
    if (!given.contains("spark.task.maxDirectResultSize")) {
      // Job 2's tasks return gradient sums (MBs) and local-SGD weights (more) as direct results.
      builder.config("spark.task.maxDirectResultSize", "128m");
    }
    if (!given.contains("spark.ui.showConsoleProgress")) {
      builder.config("spark.ui.showConsoleProgress", "true");
    }
    return builder;
  }

  /** The session of a job started by spark-submit (master and resources from its arguments). */
  public static SparkSession create(String appName) {
    return configure(SparkSession.builder()).appName(appName).getOrCreate();
  }
}
