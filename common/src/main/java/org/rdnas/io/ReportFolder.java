package org.rdnas.io;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Supplier;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.ChecksumFileSystem;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.rdnas.report.Charts;
import org.rdnas.report.HtmlReport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A job's HTML report at {@code <rdnas.output.path>/report/<job>/} ({@code index.html} and its
 * PNGs; one folder per job, since both jobs may share an output folder), written into a hidden
 * folder and renamed into place over any earlier report, so it is complete or absent.
 *
 * <p>Jobs write the report last, after their tables are committed. A report that cannot be made
 * or written is logged as a warning, with the cause, and the job still succeeds: its outputs are
 * whole, and the report is only a view of them. An earlier report is then removed rather than
 * left to describe other outputs.
 */
public final class ReportFolder {
  private static final Logger LOG = LoggerFactory.getLogger(ReportFolder.class);
  public static final String DIR = "report";

  private ReportFolder() {}

  /** The report folder of {@code job} under {@code root}. */
  public static Path dir(Path root, String job) {
    return new Path(new Path(root, DIR), job);
  }

  /**
   * Makes the report and commits it under {@code root}; returns its page, or empty (after a
   * warning naming {@code job}) when that failed.
   */
  public static Optional<Path> writeOrWarn(String job, Path root, Configuration conf,
      Supplier<HtmlReport> report) {
    Path dir = dir(root, job);
    try {
      Charts.unavailable().ifPresent(why -> LOG.warn("{}: the report at {} leaves out its plots: {}",
          job, dir, why));
      Path index = commit(root, job, conf, report.get());
      LOG.info("{}: report {}", job, index);
      return Optional.of(index);
    } catch (OutOfMemoryError e) {
      throw e;
    } catch (Throwable e) {
      // Errors too: a broken AWT or JFreeChart install fails with LinkageError or InternalError,
      // and must not fail a job whose outputs are already committed.
      LOG.warn("{}: no report written to {} ({}); the job's other outputs are complete", job, dir,
          e, e);
      removeStale(dir, conf);
      return Optional.empty();
    }
  }

  /**
   * {@code fs} without its {@code .crc} side files: Hadoop's local file system writes one beside
   * every file, which a report folder meant to be opened or copied as it is should not hold. The
   * raw file system underneath is used directly rather than switching checksums off on {@code fs},
   * which Hadoop caches and shares with every other writer in the JVM.
   */
  static FileSystem withoutChecksumFiles(FileSystem fs) {
    return fs instanceof ChecksumFileSystem c ? c.getRawFileSystem() : fs;
  }

  /** Removes an earlier run's report, which would no longer describe the outputs. */
  private static void removeStale(Path dir, Configuration conf) {
    try {
      FileSystem fs = dir.getFileSystem(conf);
      if (fs.delete(dir, true)) {
        LOG.warn("removed the earlier report {}, which no longer describes the outputs", dir);
      }
      // No empty report/ left behind when it held this job's report only.
      Path parent = dir.getParent();
      if (fs.exists(parent) && fs.listStatus(parent).length == 0) {
        fs.delete(parent, false);
      }
    } catch (IOException e) {
      LOG.warn("cannot remove the earlier report {}: {}", dir, e.toString());
    }
  }

  /** Writes every file of {@code report} to {@code <root>/report/<job>/} atomically; returns the page. */
  public static Path commit(Path root, String job, Configuration conf, HtmlReport report)
      throws IOException {
    FileSystem fs = withoutChecksumFiles(root.getFileSystem(conf));
    Path target = dir(root, job);
    Path tmp = new Path(root, "." + DIR + "-" + job + "-" + UUID.randomUUID() + ".tmp");
    boolean done = false;
    try {
      for (Map.Entry<String, byte[]> f : report.files().entrySet()) {
        try (OutputStream out = fs.create(new Path(tmp, f.getKey()), false)) {
          out.write(f.getValue());
        }
      }
      fs.mkdirs(target.getParent());
      AtomicCommit.replace(fs, tmp, target);
      done = true;
    } finally {
      if (!done) {
        fs.delete(tmp, true);
      }
    }
    return new Path(target, HtmlReport.INDEX);
  }
}
