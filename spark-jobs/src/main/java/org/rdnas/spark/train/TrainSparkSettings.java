package org.rdnas.spark.train;

import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/**
 * The Spark settings job 2 runs with: Kryo with registration required (our classes in
 * {@link TrainKryoRegistrator}), and task results up to 128 MiB sent directly, since every step
 * returns one gradient vector per worker (6 MB for the benchmark supernet) and the default 1 MiB
 * sends each through the block manager, one more round trip per step. Settings given to
 * spark-submit are kept; a registrator of the user's is kept next to ours.
 */
public final class TrainSparkSettings {
  static final String REGISTRATOR = TrainKryoRegistrator.class.getName();

  private TrainSparkSettings() {}

  /**
   * Adds the settings to {@code builder}, keeping what spark-submit already set; call it before any
   * {@code config} of one's own, which then wins.
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
      builder.config("spark.task.maxDirectResultSize", "128m");
    }
    return builder;
  }
}
