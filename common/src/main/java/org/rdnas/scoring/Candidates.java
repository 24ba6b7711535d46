package org.rdnas.scoring;
import java.io.BufferedReader;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.SplittableRandom;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.rdnas.config.CandidatesConfig;
import org.rdnas.io.InputException;
import org.rdnas.space.Arch;
import org.rdnas.space.ArchList;
import org.rdnas.space.Nb201SearchSpace;
import org.rdnas.space.SearchSpace;

/**
 * The architectures job 1 scores ({@code rdnas.candidates}), resolved on the driver before any work:
 * the whole space, a seeded sample of it, a file of arch codes, or a seeded sample of such a file.
 * The result is the sorted, distinct arch ids; a file with any malformed line is refused with every
 * bad line number. NAS-Bench-201 files hold arch strings, one a line; other spaces' files hold
 * codes, one a line, or CSV lines whose last field is the code after a header line (the CVPR 2022
 * challenge's {@code name,arch}).
 *
 * @param ids sorted distinct arch ids
 * @param description how they were chosen, for logs
 */
public record Candidates(long[] ids, String description) {
  /** At most this many bad lines are listed in an error; the count is always given. */
  private static final int MAX_LISTED = 20;
  /** {@code mode = all} lists every id on the driver: refused for spaces larger than this. */
  public static final long MAX_ALL = 10_000_000L;

  public static Candidates resolve(CandidatesConfig c, SearchSpace space, Configuration conf) {
    return switch (c.mode()) {
      case ALL -> {
        if (space.size() > MAX_ALL) {
          throw new InputException("rdnas.candidates.mode = all would score every one of the "
              + space.size() + " archs of " + space.name() + ", more than the " + MAX_ALL
              + " a run lists; use rdnas.candidates.mode = file or file-sample (a file of codes, "
              + "e.g. the challenge's) or sample");
        }
        yield new Candidates(sorted(space.ids().toArray()),
            "all " + space.size() + " archs of " + space.name());
      }
      case SAMPLE -> new Candidates(sorted(space.sample(c.sampleSize(), c.seed())),
          c.sampleSize() + " archs of " + space.name() + " sampled with seed " + c.seed());
      case FILE -> fromFile(c.file(), space, conf);
      case FILE_SAMPLE -> {
        Candidates all = fromFile(c.file(), space, conf);
        if (c.sampleSize() > all.size()) {
          throw new InputException("rdnas.candidates.sample-size = " + c.sampleSize()
              + " exceeds the " + all.size() + " archs of " + all.description()
              + " (rdnas.candidates.mode = file-sample)");
        }
        yield new Candidates(sample(all.ids(), c.sampleSize(), c.seed()), c.sampleSize()
            + " archs sampled with seed " + c.seed() + " from " + all.description());
      }
    };
  }

  /**
   * {@code n} of the sorted {@code ids} drawn uniformly without replacement (a partial
   * Fisher-Yates shuffle seeded by {@code seed}), sorted.
   */
  static long[] sample(long[] ids, int n, long seed) {
    long[] a = ids.clone();
    SplittableRandom rng = new SplittableRandom(seed);
    for (int i = 0; i < n; i++) {
      int j = i + rng.nextInt(a.length - i);
      long t = a[i];
      a[i] = a[j];
      a[j] = t;
    }
    return sorted(Arrays.copyOf(a, n));
  }

  /**
   * Reads arch codes from any Hadoop FileSystem path. Blank lines and lines starting with
   * {@code #} are skipped; duplicates collapse to one arch.
   *
   * @throws InputException naming the file and every malformed line, or when it holds no arch
   */
  public static Candidates fromFile(String file, SearchSpace space, Configuration conf) {
    Path path = new Path(file);
    Read list;
    String where;
    try {
      FileSystem fs = path.getFileSystem(conf);
      Path q = fs.makeQualified(path);
      where = q.toString();
      try (BufferedReader r = new BufferedReader(
          new InputStreamReader(fs.open(q), StandardCharsets.UTF_8))) {
        list = read(r, space);
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
    if (list.ids().length == 0) {
      throw new InputException("candidates file " + where + " holds no arch strings");
    }
    long[] ids = list.ids();
    String desc = ids.length + " archs from " + where
        + (list.duplicates() > 0 ? " (" + list.duplicates() + " duplicate line(s) collapsed)" : "");
    return new Candidates(sorted(ids), desc);
  }

  /**
   * Reads a file of {@code space}'s arch codes: NAS-Bench-201 arch strings one a line; other spaces'
   * codes one a line, or CSV lines with the code last after a header line. Blank lines and {@code #}
   * comments are skipped.
   */
  public static Read read(BufferedReader r, SearchSpace space) throws IOException {
    return space instanceof Nb201SearchSpace nb201 ? Read.of(ArchList.read(r, nb201.space()))
        : Read.codes(r, space);
  }

  /**
   * A file of arch codes read: distinct ids in first-seen order, a message per malformed line, and
   * the count of duplicate lines.
   */
  public record Read(long[] ids, List<String> problems, int duplicates) {
    static Read of(ArchList list) {
      return new Read(list.archs().stream().mapToLong(Arch::id).toArray(), list.problems(),
          list.duplicates());
    }

    /** Codes one a line, or CSV lines with the code last after a header line without digits. */
    static Read codes(BufferedReader r, SearchSpace space) throws IOException {
      LinkedHashSet<Long> ids = new LinkedHashSet<>();
      List<String> problems = new ArrayList<>();
      int duplicates = 0;
      boolean first = true;
      String line;
      int lineNo = 0;
      while ((line = r.readLine()) != null) {
        lineNo++;
        String s = line.strip();
        if (s.isEmpty() || s.startsWith("#")) {
          continue;
        }
        String code = s.substring(s.lastIndexOf(',') + 1).strip();
        if (first && s.contains(",") && code.chars().noneMatch(Character::isDigit)) {
          first = false;
          continue; // the CSV header, e.g. name,arch
        }
        first = false;
        try {
          if (!ids.add(space.parse(code))) {
            duplicates++;
          }
        } catch (IllegalArgumentException e) {
          problems.add("line " + lineNo + ": " + e.getMessage());
        }
      }
      return new Read(ids.stream().mapToLong(Long::longValue).toArray(), problems, duplicates);
    }
  }

  private static long[] sorted(long[] ids) {
    Arrays.sort(ids);
    return ids;
  }

  public int size() {
    return ids.length;
  }
}
