package org.rdnas.io;

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
}
