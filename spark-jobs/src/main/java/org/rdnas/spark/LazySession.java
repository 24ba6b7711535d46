package org.rdnas.spark;

import java.util.function.Supplier;
import org.apache.spark.sql.SparkSession;

/**
 * A job's Spark session, created on first use so that bad arguments fail before Spark starts, and
 * registered with {@link JobMain} so a stop request reaches it.
 */
public final class LazySession implements Supplier<SparkSession> {
  private final String appName;
  private SparkSession session;

  public LazySession(String appName) {
    this.appName = appName;
  }

  @Override
  public synchronized SparkSession get() {
    if (session == null) {
      session = SparkSessions.create(appName);
      JobMain.register(session);
    }
    return session;
  }

  /** Stops the session if one was made. */
  public synchronized void stop() {
    if (session != null) {
      session.stop();
    }
  }
}
