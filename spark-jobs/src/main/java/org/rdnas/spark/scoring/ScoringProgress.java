package org.rdnas.spark.scoring;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.spark.scheduler.AccumulableInfo;
import org.apache.spark.scheduler.SparkListener;
import org.apache.spark.scheduler.SparkListenerExecutorMetricsUpdate;
import org.apache.spark.scheduler.SparkListenerTaskEnd;
import org.apache.spark.util.LongAccumulator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import scala.Tuple4;
import scala.jdk.javaapi.CollectionConverters;

/**
 * Archs scored so far, archs per second and the time left, logged at the driver every few seconds.
 * Counts come from the tasks' {@code archs scored} accumulator: the final value of each successful
 * task (at task end) plus the running value of each task still at work (from executor heartbeats),
 * so progress moves inside long tasks too. A failed task's partial count is dropped: its retry
 * scores those archs again.
 */
public final class ScoringProgress extends SparkListener implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ScoringProgress.class);

  private final long accumulatorId;
  private final long total;
  private final LongAccumulator failed;
  private final AtomicLong finished = new AtomicLong();
  private final Map<Long, Long> running = new ConcurrentHashMap<>();
  private final long startNanos = System.nanoTime();
  private final ScheduledExecutorService timer;

  private ScoringProgress(LongAccumulator scored, LongAccumulator failed, long total) {
    this.accumulatorId = scored.id();
    this.failed = failed;
    this.total = total;
    this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "rdnas-scoring-progress");
      t.setDaemon(true);
      return t;
    });
  }

  /** Starts logging every {@code periodSeconds}; register the result as a Spark listener. */
  public static ScoringProgress start(LongAccumulator scored, LongAccumulator failed, long total,
      long periodSeconds) {
    ScoringProgress p = new ScoringProgress(scored, failed, total);
    p.timer.scheduleAtFixedRate(p::log, periodSeconds, periodSeconds, TimeUnit.SECONDS);
    return p;
  }

  /** Archs scored by finished tasks plus those reported by running ones, at most the total. */
  public long done() {
    long d = finished.get();
    for (long v : running.values()) {
      d += v;
    }
    return Math.min(d, total);
  }

  public String line() {
    long d = done();
    double secs = (System.nanoTime() - startNanos) / 1e9;
    double rate = secs > 0 ? d / secs : 0;
    String eta = d == 0 || rate == 0 ? "unknown" : formatSeconds((total - d) / rate);
    return String.format("scored %d/%d archs (%.0f%%, %d failed so far), %.2f archs/s, %s elapsed, ETA %s",
        d, total, total == 0 ? 100.0 : 100.0 * d / total, failed.value(), rate,
        formatSeconds(secs), eta);
  }

  private void log() {
    LOG.info(line());
  }

  @Override
  public void onExecutorMetricsUpdate(SparkListenerExecutorMetricsUpdate update) {
    for (Tuple4<Object, Object, Object, scala.collection.immutable.Seq<AccumulableInfo>> t
        : CollectionConverters.asJava(update.accumUpdates())) {
      Long v = valueOf(t._4());
      if (v != null) {
        running.put((Long) t._1(), v);
      }
    }
  }

  @Override
  public void onTaskEnd(SparkListenerTaskEnd end) {
    long taskId = end.taskInfo().taskId();
    if (end.taskInfo().successful()) {
      Long v = valueOf(end.taskInfo().accumulables());
      if (v != null) {
        finished.addAndGet(v);
      }
    }
    running.remove(taskId);
  }

  /** This task's own count of our accumulator among {@code infos}, or null when absent. */
  private Long valueOf(scala.collection.immutable.Seq<AccumulableInfo> infos) {
    for (AccumulableInfo info : CollectionConverters.asJava(infos)) {
      if (info.id() == accumulatorId && info.update().isDefined()) {
        return ((Number) info.update().get()).longValue();
      }
    }
    return null;
  }

  public static String formatSeconds(double s) {
    long t = Math.round(s);
    if (t >= 3600) {
      return String.format("%dh%02dm", t / 3600, (t % 3600) / 60);
    }
    return t >= 60 ? String.format("%dm%02ds", t / 60, t % 60) : t + "s";
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
