package org.rdnas.scoring;
import java.io.BufferedReader;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.rdnas.config.CandidatesConfig;
import org.rdnas.io.InputException;
import org.rdnas.space.Arch;
import org.rdnas.space.ArchList;
import org.rdnas.space.Nb201Space;

/**
 * The architectures job 1 scores ({@code rdnas.candidates}), resolved on the driver before any work:
 * the whole space, a seeded sample, or a file of arch strings. The result is the sorted, distinct
 * arch ids; a file with any malformed line is refused with every bad line number.
 *
 * @param ids sorted distinct arch ids
 * @param description how they were chosen, for logs
 */
public record Candidates(long[] ids, String description) {
  /** At most this many bad lines are listed in an error; the count is always given. */
  private static final int MAX_LISTED = 20;

  public static Candidates resolve(CandidatesConfig c, Nb201Space space, Configuration conf) {
    return switch (c.mode()) {
      case ALL -> new Candidates(sorted(space.stream().mapToLong(Arch::id).toArray()),
          "all " + space.size() + " archs of " + space.name());
      case SAMPLE -> new Candidates(
          sorted(space.sample(c.sampleSize(), c.seed()).stream().mapToLong(Arch::id).toArray()),
          c.sampleSize() + " archs of " + space.name() + " sampled with seed " + c.seed());
      case FILE -> fromFile(c.file(), space, conf);
    };
  }

  /**
   * Reads arch strings, one a line, from any Hadoop FileSystem path. Blank lines and lines starting
   * with {@code #} are skipped; duplicates collapse to one arch.
   *
   * @throws InputException naming the file and every malformed line, or when it holds no arch
   */
  public static Candidates fromFile(String file, Nb201Space space, Configuration conf) {
    Path path = new Path(file);
    ArchList list;
    String where;
    try {
      FileSystem fs = path.getFileSystem(conf);
      Path q = fs.makeQualified(path);
      where = q.toString();
      try (BufferedReader r = new BufferedReader(
          new InputStreamReader(fs.open(q), StandardCharsets.UTF_8))) {
        list = ArchList.read(r, space);
      }
    } catch (FileNotFoundException e) {
      throw new InputException("candidates file " + file + " (rdnas.candidates.file) does not exist");
    } catch (IOException e) {
      throw new InputException("cannot read candidates file " + file
          + " (rdnas.candidates.file): " + e.getMessage(), e);
    }
    List<String> problems = list.problems();
    if (!problems.isEmpty()) {
      StringBuilder sb = new StringBuilder("candidates file " + where + " has " + problems.size()
          + " malformed line(s); nothing was scored. Fix or remove them:");
      problems.stream().limit(MAX_LISTED).forEach(p -> sb.append("\n  ").append(p));
      if (problems.size() > MAX_LISTED) {
        sb.append("\n  ... and ").append(problems.size() - MAX_LISTED).append(" more");
      }
      throw new InputException(sb.toString());
    }
    if (list.archs().isEmpty()) {
      throw new InputException("candidates file " + where + " holds no arch strings");
    }
    long[] ids = list.archs().stream().mapToLong(Arch::id).toArray();
    String desc = ids.length + " archs from " + where
        + (list.duplicates() > 0 ? " (" + list.duplicates() + " duplicate line(s) collapsed)" : "");
    return new Candidates(sorted(ids), desc);
  }

  private static long[] sorted(long[] ids) {
    Arrays.sort(ids);
    return ids;
  }

  public int size() {
    return ids.length;
  }
}
