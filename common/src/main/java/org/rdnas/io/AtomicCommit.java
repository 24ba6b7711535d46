package org.rdnas.io;

import java.io.IOException;
import java.io.OutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;

/**
 * How every output on a Hadoop FileSystem is committed: written in full under another name in the
 * same folder, then renamed over whatever held the name before, so a reader sees the earlier output
 * or the new one, never part of one. One place for the jobs' tables, files, checkpoints and reports.
 */
public final class AtomicCommit {
  private AtomicCommit() {}

  /** Writes a file's content. */
  public interface Writer {
    void write(OutputStream out) throws IOException;
  }

  /** Writes {@code file} through its hidden sibling {@code .<name>.tmp} and a rename. */
  public static void write(FileSystem fs, Path file, Writer writer) throws IOException {
    Path tmp = new Path(file.getParent(), "." + file.getName() + ".tmp");
    try (OutputStream out = fs.create(tmp, true)) {
      writer.write(out);
    }
    replace(fs, tmp, file);
  }

  /**
   * Makes {@code done}, a finished file or folder, the {@code target}: an earlier target is deleted,
   * then {@code done} renamed into its place.
   *
   * @throws IOException naming the path that could not be removed or renamed
   */
  public static void replace(FileSystem fs, Path done, Path target) throws IOException {
    if (fs.exists(target) && !fs.delete(target, true)) {
      throw new IOException("cannot remove the earlier " + target);
    }
    rename(fs, done, target);
  }

  /** Renames {@code from} to {@code to}, or throws naming both (Hadoop's rename only says false). */
  public static void rename(FileSystem fs, Path from, Path to) throws IOException {
    if (!fs.rename(from, to)) {
      throw new IOException("cannot rename " + from + " to " + to);
    }
  }
}
