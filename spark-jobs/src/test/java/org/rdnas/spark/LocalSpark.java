package org.rdnas.spark;

import org.apache.spark.sql.SparkSession;

/** The embedded Spark the end-to-end job tests run on: two task slots, no UI, loopback only. */
public final class LocalSpark {
  private LocalSpark() {}

  /** A {@code local[2]} session named {@code app}, with the jobs' own settings first. */
  public static SparkSession start(String app) {
    // The rdnas settings first, so that the test's own (no progress bar) win.
    return SparkSessions.configure(SparkSession.builder())
        .master("local[2]")
        .appName(app)
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.driver.bindAddress", "127.0.0.1")
        .config("spark.driver.host", "127.0.0.1")
        .config("spark.sql.shuffle.partitions", "2")
        .getOrCreate();
  }
}
