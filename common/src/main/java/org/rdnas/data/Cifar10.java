package org.rdnas.data;

import java.io.EOFException;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.rdnas.io.HadoopPaths;
import org.rdnas.io.InputException;

/**
 * Reader for CIFAR-10 in its official binary layout (records of 1 label byte and 3,072 planar RGB
 * bytes) through the Hadoop FileSystem API, so {@code file:}, {@code hdfs:} and {@code s3a:} paths
 * work; a path without a scheme resolves against {@code fs.defaultFS} (the local disk by default).
 */
public final class Cifar10 {

  /** Image side in pixels. */
  public static final int SIDE = 32;
  /** Number of classes; labels are 0 to 9. */
  public static final int CLASSES = 10;
  /** Bytes per image (3 x 32 x 32, planar RGB). */
  public static final int IMAGE_BYTES = ImageDataset.CHANNELS * SIDE * SIDE;
  /** Bytes per record: one label byte and 3,072 pixel bytes. */
  public static final int RECORD_BYTES = 1 + IMAGE_BYTES;
  /** Pass as {@code limit} to read every record. */
  public static final int NO_LIMIT = Integer.MAX_VALUE;
  /** The five training batches, in their standard order. */
  public static final List<String> TRAIN_FILES = List.of(
      "data_batch_1.bin", "data_batch_2.bin", "data_batch_3.bin", "data_batch_4.bin", "data_batch_5.bin");
  /** The test batch. */
  public static final String TEST_FILE = "test_batch.bin";

  private static final String FORMAT = "cifar10";
  private static final int CHUNK_RECORDS = 1024;

  private Cifar10() {}

  /** Which of the standard batch files to read from a directory. */
  public enum Part {
    /** {@code data_batch_1.bin} to {@code data_batch_5.bin}. */
    TRAIN,
    /** {@code test_batch.bin}. */
    TEST,
    /** The training batches, then the test batch. */
    ALL;

    /** The standard file names of this part, in reading order. */
    public List<String> fileNames() {
      return switch (this) {
        case TRAIN -> TRAIN_FILES;
        case TEST -> List.of(TEST_FILE);
        case ALL -> {
          List<String> all = new ArrayList<>(TRAIN_FILES);
          all.add(TEST_FILE);
          yield List.copyOf(all);
        }
      };
    }
  }

  /** As {@link #read(String, Part, int, Configuration)} with a default Hadoop configuration. */
  public static ImageDataset read(String path, Part part, int limit) throws IOException {
    return read(path, part, limit, new Configuration());
  }

  /**
   * Reads at most {@code limit} records from {@code path}: a single batch file (read whatever its
   * name), or a directory, of which the standard files of {@code part} that are present are read in
   * standard order. Every selected file's size is checked before any is read, and the label of every
   * record read; a fault raises {@link CorruptDataException} naming the file and byte offset.
   *
   * @throws FileNotFoundException if the path does not exist or a directory holds none of the files
   */
  public static ImageDataset read(String path, Part part, int limit, Configuration conf) throws IOException {
    Objects.requireNonNull(part, "part");
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be >= 1 (Cifar10.NO_LIMIT reads all records), got " + limit);
    }
    List<FileStatus> files = resolve(path, part, conf);
    long total = 0;
    for (FileStatus f : files) {
      total += checkedRecordCount(f);
    }
    long wanted = Math.min(limit, total);
    if (wanted > ImageDataset.maxImages(SIDE)) {
      throw new InputException(FORMAT + " " + path + ": " + total + " records exceed the "
          + ImageDataset.maxImages(SIDE) + " one dataset can hold; set rdnas.data.limit");
    }
    int n = (int) wanted;
    byte[] images = new byte[n * IMAGE_BYTES];
    byte[] labels = new byte[n];
    FileSystem fs = files.get(0).getPath().getFileSystem(conf);
    int filled = 0;
    for (FileStatus f : files) {
      if (filled == n) {
        break;
      }
      filled = readRecords(fs, f, images, labels, filled, n);
    }
    StringBuilder origin = new StringBuilder(FORMAT);
    for (FileStatus f : files) {
      origin.append(' ').append(f.getPath());
    }
    if (n < total) {
      origin.append(" limit=").append(n);
    }
    return ImageDataset.wrap(images, labels, origin.toString());
  }

  /**
   * The files {@link #read} would read for {@code path} and {@code part}, fully qualified
   * (e.g. {@code file:/data/test_batch.bin}), without checking their contents.
   */
  public static List<String> files(String path, Part part, Configuration conf) throws IOException {
    Objects.requireNonNull(part, "part");
    List<String> names = new ArrayList<>();
    for (FileStatus f : resolve(path, part, conf)) {
      names.add(f.getPath().toString());
    }
    return List.copyOf(names);
  }

  private static List<FileStatus> resolve(String path, Part part, Configuration conf) throws IOException {
    FileStatus status = HadoopPaths.status(path, FORMAT, "no such file or directory", conf);
    if (!status.isDirectory()) {
      return List.of(status);
    }
    Path q = status.getPath();
    FileSystem fs = q.getFileSystem(conf);
    Map<String, FileStatus> present = new HashMap<>();
    for (FileStatus child : fs.listStatus(q)) {
      if (child.isFile()) {
        present.put(child.getPath().getName(), child);
      }
    }
    List<FileStatus> chosen = new ArrayList<>();
    for (String name : part.fileNames()) {
      FileStatus f = present.get(name);
      if (f != null) {
        chosen.add(f);
      }
    }
    if (chosen.isEmpty()) {
      throw new FileNotFoundException(FORMAT + " " + q + ": directory holds none of the " + part
          + " files " + part.fileNames());
    }
    return List.copyOf(chosen);
  }

  private static long checkedRecordCount(FileStatus f) throws CorruptDataException {
    long size = f.getLen();
    String file = f.getPath().toString();
    if (size == 0) {
      throw new CorruptDataException(FORMAT, file, 0,
          "empty file at byte offset 0 (records are " + RECORD_BYTES + " bytes)", null);
    }
    if (size % RECORD_BYTES != 0) {
      long offset = size - size % RECORD_BYTES;
      throw new CorruptDataException(FORMAT, file, offset, "truncated record at byte offset " + offset
          + " (file size " + size + " is not a multiple of " + RECORD_BYTES + ")", null);
    }
    return size / RECORD_BYTES;
  }

  /** Reads records of {@code f} into the arrays from position {@code filled} up to {@code n}; returns the new fill. */
  private static int readRecords(FileSystem fs, FileStatus f, byte[] images, byte[] labels, int filled, int n)
      throws IOException {
    String file = f.getPath().toString();
    int records = (int) Math.min(n - filled, f.getLen() / RECORD_BYTES);
    byte[] buf = new byte[Math.min(records, CHUNK_RECORDS) * RECORD_BYTES];
    long offset = 0;
    try (FSDataInputStream in = fs.open(f.getPath())) {
      int done = 0;
      while (done < records) {
        int k = Math.min(CHUNK_RECORDS, records - done);
        try {
          in.readFully(buf, 0, k * RECORD_BYTES);
        } catch (EOFException e) {
          // The size was checked up front, so the file changed (or the store lied) while reading.
          throw new CorruptDataException(FORMAT, file, offset, "unexpected end of file between byte offset "
              + offset + " and " + (offset + (long) k * RECORD_BYTES) + " (listed size " + f.getLen() + ")", e);
        }
        for (int r = 0; r < k; r++) {
          int label = buf[r * RECORD_BYTES] & 0xFF;
          if (label >= CLASSES) {
            long at = offset + (long) r * RECORD_BYTES;
            throw new CorruptDataException(FORMAT, file, at, "invalid label " + label + " at byte offset " + at
                + " (record " + (done + r) + "); labels are 0.." + (CLASSES - 1), null);
          }
          labels[filled] = (byte) label;
          System.arraycopy(buf, r * RECORD_BYTES + 1, images, filled * IMAGE_BYTES,
              IMAGE_BYTES);
          filled++;
        }
        done += k;
        offset += (long) k * RECORD_BYTES;
      }
    }
    return filled;
  }
}
