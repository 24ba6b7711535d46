package org.rdnas.spark;
import java.util.concurrent.TimeUnit;
import org.apache.spark.SparkException;
import org.apache.spark.sql.SparkSession;
import org.rdnas.config.ConfigurationException;
import org.rdnas.io.InputException;
import org.rdnas.train.TrainingDivergedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/**
 * How every job's main ends: one mapping from outcome to exit status, and one orderly SIGTERM.
 *
 * <ul>
 *   <li>0: done.
 *   <li>2: an input the user must fix ({@link ConfigurationException}, {@link InputException}):
 *       one line on stderr, nothing written.
 *   <li>3: training diverged ({@link TrainingDivergedException}): the step, losses and learning
 *       rate on stderr; the last checkpoint stays the resume point.
 *   <li>143: stopped by SIGTERM ({@link JobStoppedException}), after the current step or arch.
 *   <li>1: anything else, with its stack trace in the log.
 * </ul>
 *
 * <p>On SIGTERM the job is asked to stop ({@link #stopRequested()}), running Spark jobs are
 * cancelled, and the main thread finishes or abandons its step, closes native resources and stops
 * Spark before the JVM exits, so no thread is inside libtorch while the JVM tears it down (which
 * crashed the JVM once). If that takes longer than {@link #GRACE_SECONDS}, the JVM halts.
 */
public final class JobMain {
  public static final int OK = 0;
  public static final int FAILED = 1;
  public static final int BAD_INPUT = 2;
  public static final int DIVERGED = 3;
  public static final int TERMINATED = 143;
  static final int GRACE_SECONDS = 60;
  private static final Logger LOG = LoggerFactory.getLogger(JobMain.class);
  private static volatile boolean stopRequested;
  private static volatile SparkSession session;

  private JobMain() {}

  /** The body of a job's main. */
  public interface Body {
    void run() throws Exception;
  }

  /**
   * Runs {@code body} as job {@code job}'s main and returns its exit status (see the class comment);
   * {@code stop} stops the job's Spark session, if one was started.
   */
  public static int run(String job, Body body, Runnable stop) {
    installSigterm(job);
    int status;
    try {
      body.run();
      status = OK;
    } catch (Exception | Error e) {
      // Errors too: Hadoop reports a full disk as FSError, and a main must still end in one line.
      status = status(job, e);
    } finally {
      try {
        stop.run();
      } catch (RuntimeException e) {
        LOG.warn("{}: stopping Spark failed: {}", job, e.toString());
      }
      awaitTaskThreads();
    }
    return status;
  }

  /** The exit status of a job that threw {@code e}, after reporting it. */
  public static int status(String job, Throwable e) {
    if (stopRequested) {
      System.err.println(job + ": stopped by SIGTERM: " + (e instanceof JobStoppedException
          ? e.getMessage() : "its running Spark job was cancelled; committed part files and "
          + "checkpoints stay, and a rerun with resume=true continues from them"));
      return TERMINATED;
    }
    Throwable root = e;
    while (root instanceof SparkException && root.getCause() != null) {
      root = root.getCause();
    }
    if (root instanceof ConfigurationException || root instanceof InputException) {
      System.err.println(job + ": " + root.getMessage());
      return BAD_INPUT;
    }
    if (root instanceof TrainingDivergedException) {
      LOG.error("{}: {}", job, root.getMessage());
      System.err.println(job + ": " + root.getMessage());
      return DIVERGED;
    }
    LOG.error(job + " failed", e);
    if (root instanceof org.apache.hadoop.fs.FSError && root.getCause() != null) {
      System.err.println(job + ": failed: the output storage failed: " + root.getCause().getMessage()
          + "; committed outputs stay, and a rerun with resume=true continues from them");
    } else {
      System.err.println(job + ": failed: " + e);
    }
    return FAILED;
  }

  /** The session whose jobs SIGTERM cancels. */
  public static void register(SparkSession spark) {
    session = spark;
  }

  /** Whether SIGTERM asked the job to stop. */
  public static boolean stopRequested() {
    return stopRequested;
  }

  /** Throws {@link JobStoppedException} once SIGTERM asked the job to stop. */
  public static void throwIfStopRequested(String where) {
    if (stopRequested) {
      throw new JobStoppedException("stopped " + where);
    }
  }

  private static void installSigterm(String job) {
    try {
      Signal.handle(new Signal("TERM"), sig -> onSigterm(job));
    } catch (IllegalArgumentException e) {
      LOG.debug("SIGTERM cannot be handled here ({}): the JVM's default applies", e.getMessage());
    }
  }

  private static void onSigterm(String job) {
    if (stopRequested) {
      return;
    }
    stopRequested = true;
    System.err.println(job + ": SIGTERM received: stopping after the current step (the JVM halts in "
        + GRACE_SECONDS + " s otherwise)");
    SparkSession s = session;
    if (s != null) {
      try {
        s.sparkContext().cancelAllJobs();
      } catch (RuntimeException e) {
        LOG.warn("cancelling Spark jobs failed: {}", e.toString());
      }
    }
    Thread watchdog = new Thread(() -> {
      try {
        TimeUnit.SECONDS.sleep(GRACE_SECONDS);
      } catch (InterruptedException e) {
        return;
      }
      System.err.println(job + ": did not stop within " + GRACE_SECONDS + " s of SIGTERM; halting");
      Runtime.getRuntime().halt(TERMINATED);
    }, "rdnas-sigterm-watchdog");
    watchdog.setDaemon(true);
    watchdog.start();
  }

  /**
   * Waits (30 s at most) until no other thread is inside a PyTorch call: Spark's stop does not
   * wait for a killed local-mode task that is still in libtorch, and the JVM's exit tears libtorch
   * down under it.
   */
  private static void awaitTaskThreads() {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline && inPyTorch()) {
      try {
        TimeUnit.MILLISECONDS.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }

  private static boolean inPyTorch() {
    for (var e : Thread.getAllStackTraces().entrySet()) {
      if (e.getKey() == Thread.currentThread()) {
        continue;
      }
      for (StackTraceElement f : e.getValue()) {
        if (f.getClassName().startsWith("ai.djl.pytorch.jni.")) {
          return true;
        }
      }
    }
    return false;
  }

  /** The job stopped early because SIGTERM asked it to. */
  public static final class JobStoppedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public JobStoppedException(String message) {
      super(message);
    }
  }
}
