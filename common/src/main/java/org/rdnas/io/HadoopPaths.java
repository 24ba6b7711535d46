package org.rdnas.io;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.util.Objects;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/** Hadoop paths from user input: a path Hadoop cannot parse is an {@link InputException}. */
public final class HadoopPaths {
  private HadoopPaths() {}

  /**
   * {@code value} as a Hadoop path.
   *
   * @param what the input, for the message (e.g. "rdnas.data.path")
   * @throws InputException naming {@code what} when Hadoop cannot parse it
   */
  public static Path parse(String value, String what) {
    try {
      return new Path(value);
    } catch (IllegalArgumentException e) {
      throw new InputException(what + " " + value + ": " + e.getMessage(), e);
    }
  }

  /**
   * The status of {@code path}, fully qualified on its filesystem (the dataset readers' first step).
   *
   * @param format the reader's name, which starts the messages (e.g. "cifar10")
   * @param missing what the message says when nothing is there (e.g. "no such folder")
   * @throws InputException naming {@code format} when {@code path} is blank or Hadoop cannot parse it
   * @throws FileNotFoundException "{@code format} {@code <qualified path>}: {@code missing}"
   */
  public static FileStatus status(String path, String format, String missing, Configuration conf)
      throws IOException {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(conf, "conf");
    if (path.isBlank()) {
      throw new InputException(format + " path is blank");
    }
    Path p = parse(path, format + " path");
    FileSystem fs = p.getFileSystem(conf);
    Path q = fs.makeQualified(p);
    try {
      return fs.getFileStatus(q);
    } catch (FileNotFoundException e) {
      FileNotFoundException named = new FileNotFoundException(format + " " + q + ": " + missing);
      named.initCause(e);
      throw named;
    }
  }
}
