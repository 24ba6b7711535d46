package org.rdnas.io;

import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/** Opens {@code rdnas.output.path} on its Hadoop FileSystem, as a folder (not created here). */
public final class OutputFolder {
  /**
   * Where a job moves files it will not use but must not delete (unreadable checkpoints and part
   * files, checkpoints beyond a resumed step), under the output folder.
   */
  public static final String SET_ASIDE = "set-aside";

  private OutputFolder() {}

  /**
   * The qualified output folder.
   *
   * @throws InputException when the path is a file or cannot be opened
   */
  public static Path open(String outputPath, Configuration conf) {
    Path p = HadoopPaths.parse(outputPath, "rdnas.output.path");
    try {
      FileSystem fs = p.getFileSystem(conf);
      Path root = fs.makeQualified(p);
      if (fs.exists(root) && !fs.getFileStatus(root).isDirectory()) {
        throw new InputException("rdnas.output.path " + root + " is a file, not a folder");
      }
      return root;
    } catch (IOException e) {
      throw new InputException("cannot open rdnas.output.path " + outputPath + ": "
          + e.getMessage(), e);
    }
  }
}
