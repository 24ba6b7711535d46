package org.rdnas.spark;

import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import org.apache.spark.sql.SparkSession;

/**
 * The embedded Spark the end-to-end job tests run on: two task slots, no UI, loopback only; closing
 * it stops the session and restores the PyTorch thread setting it may have pinned.
 */
public final class LocalSpark implements AutoCloseable {
  private static final String THREADS = "ai.djl.pytorch.num_threads";
  private final SparkSession session;
  private final boolean pinned;
  private final String threadsBefore;

  private LocalSpark(SparkSession session, boolean pinned, String threadsBefore) {
    this.session = session;
    this.pinned = pinned;
    this.threadsBefore = threadsBefore;
  }

  /** A {@code local[2]} session named {@code app}, with the jobs' own settings first. */
  public static LocalSpark start(String app) {
    return new LocalSpark(session(app), false, null);
  }

  /**
   * As {@link #start}, with one PyTorch intra-op thread for tasks and the in-process references
   * alike: two concurrent tasks share two cores, and the same count everywhere makes results
   * compare bit for bit.
   */
  public static LocalSpark startOneThread(String app) {
    String before = System.setProperty(THREADS, "1");
    Engine.getEngine("PyTorch");
    JniUtils.setNumThreads(1);
    return new LocalSpark(session(app), true, before);
  }

  public SparkSession session() {
    return session;
  }

  @Override
  public void close() {
    session.stop();
    if (!pinned) {
      return;
    }
    if (threadsBefore == null) {
      System.clearProperty(THREADS);
    } else {
      System.setProperty(THREADS, threadsBefore);
    }
  }

  private static SparkSession session(String app) {
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
