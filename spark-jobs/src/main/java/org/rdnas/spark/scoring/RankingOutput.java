package org.rdnas.spark.scoring;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetFileReader;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.apache.parquet.hadoop.util.HadoopInputFile;
import org.rdnas.io.AtomicCommit;
import org.rdnas.io.InputException;
import org.rdnas.io.OutputFolder;
import org.rdnas.scoring.RankingTableSchema;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ranking table's place under {@code rdnas.output.path} and the rules that keep it whole:
 *
 * <ul>
 *   <li>{@code ranking/}: the committed table, one sorted Parquet file with rdnas footer metadata.
 *   It only ever appears by a rename of a finished sibling folder, so it is complete or absent.
 *   <li>{@code .ranking-parts/}: part files committed by scoring tasks of an unfinished run, plus
 *   {@code _identity.json}. They outlive a crash, so a resumed run scores only what they lack.
 *   <li>{@code .ranking-<run>.tmp/}: the merged table being written; renamed to {@code ranking/}.
 * </ul>
 *
 * An output that holds another run's table or parts is refused, never overwritten.
 */
public final class RankingOutput {
  private static final Logger LOG = LoggerFactory.getLogger(RankingOutput.class);
  public static final String TABLE_DIR = "ranking";
  public static final String PARTS_DIR = ".ranking-parts";
  public static final String IDENTITY_FILE = "_identity.json";
  public static final String REPLACED_PREFIX = ".ranking-replaced-";
  public static final ObjectMapper JSON = new ObjectMapper();

  private final FileSystem fs;
  private final Configuration conf;
  private final Path root;

  private RankingOutput(FileSystem fs, Configuration conf, Path root) {
    this.fs = fs;
    this.conf = conf;
    this.root = root;
  }

  public static RankingOutput at(String outputPath, Configuration conf) {
    Path root = OutputFolder.open(outputPath, conf);
    try {
      return new RankingOutput(root.getFileSystem(conf), conf, root);
    } catch (IOException e) {
      throw new InputException("cannot open rdnas.output.path " + outputPath + ": " + e.getMessage(), e);
    }
  }

  public Path root() {
    return root;
  }

  public Path table() {
    return new Path(root, TABLE_DIR);
  }

  public Path parts() {
    return new Path(root, PARTS_DIR);
  }

  public Path tempTable(String runId) {
    return new Path(root, ".ranking-" + runId + ".tmp");
  }

  /**
   * Puts back a table that a commit moved aside but did not replace (the job died between the two
   * renames of {@link #commit}).
   */
  public void recoverInterruptedCommit() throws IOException {
    if (fs.exists(table()) || !fs.exists(root)) {
      return;
    }
    FileStatus[] aside = fs.globStatus(new Path(root, REPLACED_PREFIX + "*"));
    if (aside != null && aside.length > 0) {
      Arrays.sort(aside, Comparator.comparing(FileStatus::getModificationTime));
      Path latest = aside[aside.length - 1].getPath();
      LOG.warn("a previous commit was interrupted; restoring {} to {}", latest, table());
      rename(latest, table());
    }
  }

  /** The committed table's Parquet files, empty when there is no table. */
  public List<Path> tableFiles() throws IOException {
    return parquetFiles(table());
  }

  /** Part files committed by scoring tasks of unfinished runs. */
  public List<Path> partFiles() throws IOException {
    return parquetFiles(parts());
  }

  private List<Path> parquetFiles(Path dir) throws IOException {
    if (!fs.exists(dir)) {
      return List.of();
    }
    FileStatus[] st = fs.globStatus(new Path(dir, "part-*.parquet"));
    List<Path> out = new ArrayList<>();
    for (FileStatus s : st == null ? new FileStatus[0] : st) {
      out.add(s.getPath());
    }
    out.sort(Comparator.comparing(Path::getName));
    return out;
  }

  /**
   * Moves part files that cannot be read whole (a storage fault: parts appear only by a rename once
   * complete; a flipped byte in a data page shows only when its rows are decoded or its checksum is
   * checked, not in the footer) into {@code set-aside/<run>/}, so a resumed run scores their archs
   * again instead of failing on them; nothing is deleted. Returns the files moved.
   */
  public List<Path> setAsideUnreadableParts(String runId) throws IOException {
    List<Path> moved = new ArrayList<>();
    for (Path f : partFiles()) {
      try {
        footer(f);
        readAllRows(f);
      } catch (IOException | RuntimeException e) {
        Path aside = new Path(new Path(root, OutputFolder.SET_ASIDE), runId);
        fs.mkdirs(aside);
        LOG.warn("part file {} cannot be read ({}); moving it into {} and scoring its archs again", f,
            e.getMessage(), aside);
        rename(f, new Path(aside, f.getName()));
        moved.add(f);
      }
    }
    return moved;
  }

  /**
   * The committed table's footer metadata, or empty when {@code ranking/} does not exist.
   *
   * @throws InputException when {@code ranking/} exists but is not an rdnas ranking table
   */
  public Optional<Map<String, String>> tableMetadata() throws IOException {
    if (!fs.exists(table())) {
      return Optional.empty();
    }
    List<Path> files = tableFiles();
    if (files.isEmpty()) {
      throw new InputException(table() + " exists but holds no ranking table (no part-*.parquet); "
          + "nothing was overwritten. Choose another rdnas.output.path or remove it");
    }
    Map<String, String> meta = footer(files.get(0));
    if (!RankingTableSchema.TABLE_NAME.equals(meta.get(RankingTableSchema.META_TABLE))) {
      throw new InputException(table() + " holds Parquet files that rdnas did not write; nothing "
          + "was overwritten. Choose another rdnas.output.path or remove it");
    }
    return Optional.of(meta);
  }

  /** Decodes every row of {@code file}: part files are small, and only this finds a bad page. */
  private void readAllRows(Path file) throws IOException {
    // Page checksums too: a filesystem without its own (the local one without .crc files) would
    // otherwise decode a flipped byte as a wrong value.
    Configuration verify = new Configuration(conf);
    verify.setBoolean("parquet.page.verify-checksum.enabled", true);
    try (ParquetReader<Group> r = ParquetReader.builder(new GroupReadSupport(), file)
        .withConf(verify).build()) {
      while (r.read() != null) {
        // reading is the check
      }
    }
  }

  /** The key-value metadata in the footer of one Parquet file. */
  public Map<String, String> footer(Path file) throws IOException {
    try (ParquetFileReader r = ParquetFileReader.open(HadoopInputFile.fromPath(file, conf))) {
      return new TreeMap<>(r.getFooter().getFileMetaData().getKeyValueMetaData());
    }
  }

  /**
   * The scoring identity of the parts folder: its {@code _identity.json}, else the footer of its
   * first part file; empty when it holds no parts. A folder without part files holds nothing worth
   * keeping (a run that failed before any task finished) and is removed here.
   */
  public Optional<Map<String, String>> partsIdentity() throws IOException {
    if (!fs.exists(parts())) {
      return Optional.empty();
    }
    List<Path> files = partFiles();
    if (files.isEmpty()) {
      LOG.info("removing {}: it holds no committed part files", parts());
      deleteParts();
      return Optional.empty();
    }
    Path f = new Path(parts(), IDENTITY_FILE);
    if (fs.exists(f)) {
      try (InputStream in = fs.open(f)) {
        return Optional.of(parseIdentity(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
      }
    }
    String stored = footer(files.get(0)).get(RankingTableSchema.META_IDENTITY);
    return Optional.of(stored == null ? Map.of() : parseIdentity(stored));
  }

  /** Creates the parts folder for a run of {@code identity}, unless it exists already. */
  public void prepareParts(Map<String, String> identity) throws IOException {
    Path f = new Path(parts(), IDENTITY_FILE);
    if (fs.exists(f)) {
      return;
    }
    fs.mkdirs(parts());
    writeAtomically(f, identityJson(identity));
  }

  /**
   * Makes the finished table in {@code temp} the table: {@code ranking/} is moved aside, the new
   * one renamed into place, the old one deleted. A crash between the renames is repaired by
   * {@link #recoverInterruptedCommit()}.
   */
  public void commit(Path temp, String runId) throws IOException {
    Path aside = null;
    if (fs.exists(table())) {
      aside = new Path(root, REPLACED_PREFIX + runId);
      rename(table(), aside);
    }
    rename(temp, table());
    if (aside != null) {
      fs.delete(aside, true);
    }
  }

  /** Removes the parts folder once its rows are in the committed table. */
  public void deleteParts() throws IOException {
    fs.delete(parts(), true);
  }

  public void deleteQuietly(Path p) {
    try {
      fs.delete(p, true);
    } catch (IOException e) {
      LOG.warn("could not remove {}: {}", p, e.getMessage());
    }
  }

  /** Writes {@code text} to {@code file} through a hidden sibling and a rename. */
  public void writeAtomically(Path file, String text) throws IOException {
    AtomicCommit.write(fs, file, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
  }

  private void rename(Path from, Path to) throws IOException {
    AtomicCommit.rename(fs, from, to);
  }

  public static String identityJson(Map<String, String> identity) {
    try {
      return JSON.writeValueAsString(new TreeMap<>(identity));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  public static Map<String, String> parseIdentity(String json) throws IOException {
    return new TreeMap<>(JSON.readValue(json, new TypeReference<Map<String, String>>() {}));
  }

  /** The keys where two identities differ, as "key: a vs b" phrases; empty when equal. */
  public static List<String> differences(Map<String, String> stored, Map<String, String> current) {
    List<String> out = new ArrayList<>();
    TreeSet<String> keys = new TreeSet<>(stored.keySet());
    keys.addAll(current.keySet());
    for (String k : keys) {
      String a = stored.getOrDefault(k, "(unset)");
      String b = current.getOrDefault(k, "(unset)");
      if (!a.equals(b)) {
        out.add("rdnas." + k + ": stored " + a + ", this run " + b);
      }
    }
    return out;
  }

  /**
   * Refuses an output that holds another run's table or parts, or this run's without resume:
   * nothing is overwritten.
   */
  public void checkReusable(Map<String, String> identity, boolean resume) throws IOException {
    RankingOutput out = this;
    Optional<Map<String, String>> table = out.tableMetadata();
    if (table.isPresent()) {
      String stored = table.get().get(RankingTableSchema.META_IDENTITY);
      List<String> diff = RankingOutput.differences(
          stored == null ? Map.of() : RankingOutput.parseIdentity(stored), identity);
      if (!diff.isEmpty()) {
        throw new InputException(out.table() + " already holds the ranking table of a different "
            + "run; nothing was overwritten. It differs in:\n  " + String.join("\n  ", diff)
            + "\nChoose another rdnas.output.path, or remove that table to replace it");
      }
      if (!resume) {
        throw new InputException(out.table() + " already holds a ranking table of this "
            + "configuration; nothing was overwritten. Add rdnas.scoring.resume=true to score only "
            + "candidates it lacks (and merge them in), or choose another rdnas.output.path");
      }
    }
    Optional<Map<String, String>> parts = out.partsIdentity();
    if (parts.isPresent()) {
      List<String> diff = RankingOutput.differences(parts.get(), identity);
      if (!diff.isEmpty()) {
        throw new InputException(out.parts() + " holds partial results of an unfinished run "
            + "with a different configuration; nothing was overwritten. It differs in:\n  "
            + String.join("\n  ", diff) + "\nChoose another rdnas.output.path, or remove "
            + out.parts() + " to discard them");
      }
      if (!resume) {
        throw new InputException(out.parts() + " holds partial results ("
            + out.partFiles().size() + " part files) of an unfinished run with this "
            + "configuration; nothing was overwritten. Add rdnas.scoring.resume=true to continue "
            + "it, or remove " + out.parts() + " to start over");
      }
    }
  }
}
