package org.rdnas.train;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.rdnas.io.AtomicCommit;
import org.rdnas.io.InputException;
import org.rdnas.io.OutputFolder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Job 2's files under {@code rdnas.output.path}, on any Hadoop FileSystem, and the rules that keep
 * them whole. Only the driver writes here.
 *
 * <ul>
 *   <li>{@code checkpoints/step-<12 digits>.ckpt}: {@link Checkpoint}s every N steps and at the
 *       end. Next to each, {@code metrics-<step>.jsonl} journals the metrics rows of the steps
 *       since the previous checkpoint, and {@code eval-<step>.jsonl} the rows of the evaluation
 *       round at that step, so a resumed run keeps the rows of the steps it does not redo.
 *   <li>{@code metrics/}, {@code eval/} (Parquet) and {@code summary.json}: written at the end
 *       from the journals.
 * </ul>
 *
 * Every file and folder is written under a temporary name beginning with a dot and renamed into
 * place, so a reader (and a resumed run) sees each complete or not at all. A checkpoint is never
 * deleted: one that cannot be read, or lies beyond the step a run resumes at, is moved into
 * {@code set-aside/}.
 */
public final class RunStore {
  private static final Logger LOG = LoggerFactory.getLogger(RunStore.class);
  public static final String CHECKPOINTS = "checkpoints";
  public static final String METRICS = "metrics";
  public static final String EVAL = "eval";
  public static final String SUMMARY = "summary.json";
  public static final String SET_ASIDE = OutputFolder.SET_ASIDE;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final FileSystem fs;
  private final Path root;
  private final Path checkpoints;

  private RunStore(FileSystem fs, Path root) {
    this.fs = fs;
    this.root = root;
    this.checkpoints = new Path(root, CHECKPOINTS);
  }

  /** The store under {@code outputPath}; nothing is created until something is written. */
  public static RunStore at(String outputPath, Configuration conf) {
    Path root = OutputFolder.open(outputPath, conf);
    try {
      return new RunStore(root.getFileSystem(conf), root);
    } catch (IOException e) {
      throw new InputException("cannot open rdnas.output.path " + outputPath + ": "
          + e.getMessage(), e);
    }
  }

  public Path root() {
    return root;
  }

  /** The FileSystem the store lives on. */
  public FileSystem fileSystem() {
    return fs;
  }

  public Path checkpointDir() {
    return checkpoints;
  }

  /** What of a training run is present: checkpoint files and final outputs, by name. */
  public List<String> existingRun() throws IOException {
    List<String> found = new ArrayList<>();
    if (!checkpointSteps().isEmpty()) {
      found.add(CHECKPOINTS + "/ (" + checkpointSteps().size() + " checkpoints)");
    }
    for (String name : List.of(METRICS, EVAL, SUMMARY)) {
      if (fs.exists(new Path(root, name))) {
        found.add(name);
      }
    }
    return found;
  }

  /** Steps of the checkpoint files present, ascending (complete or not). */
  public List<Long> checkpointSteps() throws IOException {
    return stepsOf(this::checkpointStep);
  }

  /** A checkpoint read back, and the file it came from. */
  public record Found(Checkpoint checkpoint, Path file) {}

  /**
   * What a resume finds: the newest checkpoint that reads back complete and intact, if any, and
   * the newer ones that do not (a crash while writing one on a store without atomic rename, a
   * truncated copy), each as "path: why"; every checkpoint file, when none reads back.
   */
  public record Scan(Optional<Found> newest, List<String> unreadable) {}

  /** Reads checkpoints newest first until one reads back; see {@link Scan}. */
  public Scan latestComplete() throws IOException {
    List<Long> steps = new ArrayList<>(checkpointSteps());
    steps.sort(Comparator.reverseOrder());
    List<String> unreadable = new ArrayList<>();
    for (long s : steps) {
      Path f = new Path(checkpoints, Checkpoint.fileName(s));
      try (InputStream in = fs.open(f)) {
        return new Scan(Optional.of(new Found(Checkpoint.read(in, f.toString()), f)), unreadable);
      } catch (IOException e) {
        unreadable.add(why(f, e));
      }
    }
    return new Scan(Optional.empty(), unreadable);
  }

  /** Writes {@code c} as {@code checkpoints/step-<step>.ckpt}, atomically. */
  public Path writeCheckpoint(Checkpoint c) throws IOException {
    Path f = new Path(checkpoints, Checkpoint.fileName(c.step()));
    AtomicCommit.write(fs, f, c::write);
    return f;
  }

  /** Journals {@code rows} (JSON lines) as {@code checkpoints/<kind>-<version>.jsonl}, atomically. */
  public void writeJournal(String kind, long version, List<?> rows) throws IOException {
    ObjectWriter w = JSON.writer();
    AtomicCommit.write(fs, journal(kind, version), out -> {
      for (Object r : rows) {
        out.write(w.writeValueAsBytes(r));
        out.write('\n');
      }
    });
  }

  /** Whether the {@code kind} journal of version {@code version} exists. */
  public boolean hasJournal(String kind, long version) throws IOException {
    return fs.exists(journal(kind, version));
  }

  /** The rows of every {@code kind} journal up to version {@code upTo}, in version order. */
  public <T> List<T> readJournals(String kind, long upTo, Class<T> type) throws IOException {
    List<T> rows = new ArrayList<>();
    for (long v : stepsOf(name -> journalStep(kind, name))) {
      if (v > upTo) {
        continue;
      }
      try (InputStream in = fs.open(journal(kind, v));
          MappingIterator<T> it = JSON.readerFor(type).readValues(in)) {
        while (it.hasNext()) {
          rows.add(it.next());
        }
      }
    }
    return rows;
  }

  /**
   * Sets aside what lies beyond version {@code version} (checkpoints and journals of later steps,
   * left by a run that stopped before its next complete checkpoint, and checkpoints that could not
   * be read), so a run that resumes at {@code version} rewrites them as an uninterrupted run would.
   * Nothing is deleted but temporary files: the rest moves into {@code set-aside/<time>-<run>/},
   * where a storage hiccup's victims can be recovered.
   */
  public void setAsideAfter(long version, String runId) throws IOException {
    if (!fs.exists(checkpoints)) {
      return;
    }
    Path aside = null;
    for (FileStatus f : fs.listStatus(checkpoints)) {
      String name = f.getPath().getName();
      long step = Math.max(checkpointStep(name),
          Math.max(journalStep(METRICS, name), journalStep(EVAL, name)));
      boolean tmp = name.startsWith(".") && (name.endsWith(".tmp") || name.endsWith(".tmp.crc"));
      if (tmp) {
        fs.delete(f.getPath(), true);
      } else if (step > version) {
        if (aside == null) {
          aside = new Path(new Path(root, SET_ASIDE), java.time.Instant.now().toString()
              .replace(':', '-') + "-" + runId);
          fs.mkdirs(aside);
        }
        LOG.warn("moving {} into {} (beyond the resumed step {})", f.getPath(), aside, version);
        AtomicCommit.rename(fs, f.getPath(), new Path(aside, name));
      }
    }
  }

  /** Writes {@code bytes} to {@code <root>/<name>} atomically. */
  public void commitFile(String name, byte[] bytes) throws IOException {
    AtomicCommit.write(fs, new Path(root, name), out -> out.write(bytes));
  }

  private static String why(Path file, IOException e) {
    String m = String.valueOf(e.getMessage());
    return m.startsWith(file.toString()) ? m : file + ": " + m;
  }

  private Path journal(String kind, long version) {
    return new Path(checkpoints, kind + "-" + String.format("%012d", version) + ".jsonl");
  }

  private interface StepOf {
    long of(String name);
  }

  private List<Long> stepsOf(StepOf parse) throws IOException {
    if (!fs.exists(checkpoints)) {
      return List.of();
    }
    return Arrays.stream(fs.listStatus(checkpoints)).map(f -> parse.of(f.getPath().getName()))
        .filter(s -> s >= 0).sorted().toList();
  }

  private long checkpointStep(String name) {
    return Checkpoint.stepOf(name);
  }

  private static long journalStep(String kind, String name) {
    String prefix = kind + "-";
    if (!name.startsWith(prefix) || !name.endsWith(".jsonl")
        || !name.substring(prefix.length(), name.length() - 6).matches("\\d{12}")) {
      return -1;
    }
    return Long.parseLong(name.substring(prefix.length(), name.length() - 6));
  }
}
