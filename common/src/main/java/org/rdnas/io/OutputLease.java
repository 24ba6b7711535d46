package org.rdnas.io;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One writer per output folder. A job takes the lease when it starts, by creating
 * {@code <output>/_lease.json} exclusively (it names the run, job, host, process and start time), and
 * holds it with a heartbeat: the file's modification time, refreshed every quarter of the stale
 * time. A second job on the same folder is refused naming the holder; a lease whose heartbeat is
 * older than the stale time (a killed driver) is taken over, saying so. Closing releases it.
 *
 * <p>Creating the lease is also the job's first write, so an output folder that cannot be written
 * fails the job before any work. Exclusive creation is atomic on HDFS and on local folders
 * ({@code O_EXCL}); on object stores without conditional writes two jobs started in the same instant
 * may both succeed, which the holder notices at its next heartbeat ({@link #check()}).
 */
public final class OutputLease implements AutoCloseable {
  /** The lease file's name; the leading underscore hides it from Spark's and Parquet's readers. */
  public static final String FILE = "_lease.json";
  private static final Logger LOG = LoggerFactory.getLogger(OutputLease.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final FileSystem fs;
  private final Path file;
  private final String runId;
  private final boolean createdRoot;
  private final ScheduledExecutorService heartbeat;
  private volatile String lost;

  private OutputLease(FileSystem fs, Path file, String runId, boolean createdRoot,
      Duration staleAfter) {
    this.fs = fs;
    this.file = file;
    this.runId = runId;
    this.createdRoot = createdRoot;
    long every = Math.max(1, staleAfter.toMillis() / 4);
    this.heartbeat = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "rdnas-lease-heartbeat");
      t.setDaemon(true);
      return t;
    });
    heartbeat.scheduleWithFixedDelay(this::beat, every, every, TimeUnit.MILLISECONDS);
  }

  /**
   * Takes the lease on {@code root} (created if missing) for {@code job}.
   *
   * @throws InputException when another live run holds it, or the folder cannot be written
   */
  public static OutputLease acquire(Path root, Configuration conf, String job, String runId,
      Duration staleAfter) {
    Path file = new Path(root, FILE);
    FileSystem fs;
    boolean created;
    try {
      fs = root.getFileSystem(conf);
      created = !fs.exists(root);
      fs.mkdirs(root);
    } catch (IOException e) {
      throw new InputException("rdnas.output.path " + root + " cannot be written: "
          + e.getMessage(), e);
    }
    byte[] content = content(job, runId);
    for (int attempt = 0; attempt < 3; attempt++) {
      try {
        if (createExclusively(fs, file, content)) {
          LOG.info("took the output lease {} for {} run {}", file, job, runId);
          return new OutputLease(fs, file, runId, created, staleAfter);
        }
      } catch (IOException e) {
        throw new InputException("rdnas.output.path " + root + " cannot be written (creating "
            + file.getName() + " failed): " + e.getMessage(), e);
      }
      Holder holder;
      try {
        holder = Holder.read(fs, file);
      } catch (IOException e) {
        throw new InputException("cannot read the output lease " + file + ": " + e.getMessage(),
            e);
      }
      if (holder == null) {
        continue;
      }
      if (holder.age().compareTo(staleAfter) <= 0) {
        throw new InputException("rdnas.output.path " + root + " is in use by another run: "
            + holder + "; one output folder has one writer. Wait for it to finish, or choose "
            + "another rdnas.output.path (a killed run's lease is taken over once its heartbeat is "
            + "older than rdnas.output.lease-timeout = " + staleAfter.toSeconds() + " s)");
      }
      // Renaming the stale lease to a name of our own lets exactly one contender remove it.
      Path mine = new Path(root, "._lease.stale-" + runId);
      try {
        if (fs.rename(file, mine)) {
          fs.delete(mine, false);
          LOG.warn("taking over the output lease of {}: its heartbeat is older than {} s, so its "
              + "driver is presumed dead", holder, staleAfter.toSeconds());
        }
      } catch (IOException e) {
        throw new InputException("cannot take over the stale lease " + file + ": "
            + e.getMessage(), e);
      }
    }
    throw new InputException("rdnas.output.path " + root + ": could not take the lease "
        + file + " after 3 attempts; another run is starting on the same folder");
  }

  /**
   * Fails when the lease was lost (removed or taken over by another run), so nothing is committed
   * over another writer's output.
   */
  public void check() {
    String why = lost;
    if (why != null) {
      throw new IllegalStateException("the output lease " + file + " was lost: " + why
          + "; stopping before committing anything over another run's output");
    }
  }

  /**
   * Stops the heartbeat and removes the lease, if it is still this run's, and the output folder if
   * the lease created it and the run wrote nothing there (a refused input leaves no trace).
   */
  @Override
  public void close() {
    heartbeat.shutdownNow();
    try {
      heartbeat.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    try {
      Holder h = Holder.read(fs, file);
      if (h != null && runId.equals(h.runId())) {
        fs.delete(file, false);
        Path root = file.getParent();
        if (createdRoot && fs.listStatus(root).length == 0) {
          fs.delete(root, false);
        }
      }
    } catch (IOException e) {
      LOG.warn("could not release the output lease {}: {}", file, e.getMessage());
    }
  }

  private void beat() {
    try {
      Holder h = Holder.read(fs, file);
      if (h == null || !runId.equals(h.runId())) {
        lost = h == null ? "the lease file is gone" : "now held by " + h;
        LOG.error("output lease {} lost: {}", file, lost);
        heartbeat.shutdown();
        return;
      }
      fs.setTimes(file, System.currentTimeMillis(), -1);
    } catch (IOException | RuntimeException e) {
      // A missed beat is harmless while the next ones succeed before the stale time.
      LOG.warn("output lease {}: heartbeat failed: {}", file, e.getMessage());
    }
  }

  private static byte[] content(String job, String runId) {
    ObjectNode o = JSON.createObjectNode();
    o.put("run_id", runId);
    o.put("job", job);
    o.put("host", host());
    o.put("pid", ProcessHandle.current().pid());
    o.put("started", Instant.now().toString());
    o.put("jvm", ManagementFactory.getRuntimeMXBean().getName());
    return (o.toString() + "\n").getBytes(StandardCharsets.UTF_8);
  }

  private static String host() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "unknown";
    }
  }

  /** Creates {@code file} with {@code content} if it does not exist; false when it does. */
  private static boolean createExclusively(FileSystem fs, Path file, byte[] content)
      throws IOException {
    if (fs instanceof LocalFileSystem || fs instanceof RawLocalFileSystem) {
      // Hadoop's local create checks, then opens: not atomic. O_EXCL is.
      java.nio.file.Path p = java.nio.file.Path.of(fs.makeQualified(file).toUri());
      try (OutputStream out = Files.newOutputStream(p, StandardOpenOption.CREATE_NEW,
          StandardOpenOption.WRITE)) {
        out.write(content);
        return true;
      } catch (FileAlreadyExistsException e) {
        return false;
      }
    }
    try (OutputStream out = fs.create(file, false)) {
      out.write(content);
      return true;
    } catch (org.apache.hadoop.fs.FileAlreadyExistsException e) {
      return false;
    } catch (IOException e) {
      if (fs.exists(file)) {
        return false;
      }
      throw e;
    }
  }

  /** Who holds a lease, and how old its heartbeat is. */
  public record Holder(String runId, String job, String host, long pid, String started, long heartbeat) {
    /** The lease at {@code file}, or null when there is none. */
    static Holder read(FileSystem fs, Path file) throws IOException {
      FileStatus st;
      try {
        st = fs.getFileStatus(file);
      } catch (FileNotFoundException e) {
        return null;
      }
      JsonNode o;
      try (InputStream in = fs.open(file)) {
        o = JSON.readTree(in.readAllBytes());
      } catch (FileNotFoundException e) {
        return null;
      } catch (IOException e) {
        // Being written right now, or damaged: a holder of unknown name whose heartbeat is its age.
        o = null;
      }
      if (o == null || !o.isObject()) {
        return new Holder("(unreadable lease file)", "?", "?", -1, "?", st.getModificationTime());
      }
      return new Holder(o.path("run_id").asText("?"), o.path("job").asText("?"),
          o.path("host").asText("?"), o.path("pid").asLong(-1), o.path("started").asText("?"),
          st.getModificationTime());
    }

    Duration age() {
      return Duration.ofMillis(Math.max(0, System.currentTimeMillis() - heartbeat));
    }

    @Override
    public String toString() {
      return job + " run " + runId + " on host " + host + " (pid " + pid + "), started " + started
          + ", last heartbeat " + age().toSeconds() + " s ago";
    }
  }
}
