package org.rdnas.train;

import java.io.BufferedReader;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.rdnas.benchmark.Nb201Table;
import org.rdnas.config.EvalConfig;
import org.rdnas.config.GroundTruthConfig;
import org.rdnas.space.Arch;
import org.rdnas.scoring.Candidates;
import org.rdnas.space.SearchSpace;
import org.rdnas.io.InputException;

/** Reads the evaluation's inputs: the eval archs and the optional ground-truth table. */
public final class EvalInputs {
  private EvalInputs() {}

  /**
   * The eval archs: the lines of {@code rdnas.eval.archs-file} (arch strings; blank lines and
   * {@code #} comments skipped, duplicates dropped), or {@code rdnas.eval.archs} archs drawn from
   * the search space with {@code rdnas.eval.seed}, the same for every run with that seed.
   */
  public static List<Long> archs(EvalConfig eval, SearchSpace space, Configuration conf) {
    Optional<String> file = eval.archsFileIfSet();
    if (file.isEmpty()) {
      if (eval.archs() > space.size()) {
        throw new InputException("rdnas.eval.archs = " + eval.archs() + " exceeds the "
            + space.size() + " archs of the search space " + space);
      }
      return Arrays.stream(space.sample(eval.archs(), eval.seed())).boxed().toList();
    }
    return archFile(file.get(), "rdnas.eval.archs-file", space, conf);
  }

  /**
   * The ids of the distinct archs a file of {@code space}'s codes lists ({@link Candidates#read}),
   * at least two; {@code key} names the setting in errors.
   */
  public static List<Long> archFile(String path, String key, SearchSpace space,
      Configuration conf) {
    List<Long> archs;
    try (BufferedReader r = new BufferedReader(new InputStreamReader(open(path, conf),
        StandardCharsets.UTF_8))) {
      Candidates.Read list = Candidates.read(r, space);
      if (!list.problems().isEmpty()) {
        throw new InputException(key + " " + path + " has " + list.problems().size()
            + " bad line(s): " + String.join("; ", list.problems()) + " (rdnas.space)");
      }
      archs = Arrays.stream(list.ids()).boxed().toList();
    } catch (IOException e) {
      throw new InputException(key + " " + path + ": " + e.getMessage(), e);
    }
    if (archs.size() < 2) {
      throw new InputException(key + " " + path + " lists " + archs.size()
          + " distinct arch(s); a ranking needs at least 2");
    }
    return archs;
  }

  /** The ground-truth table of {@code rdnas.ground-truth}, if a path is set. */
  public static Optional<Nb201Table> groundTruth(GroundTruthConfig truth, Configuration conf) {
    if (truth.pathIfSet().isEmpty()) {
      return Optional.empty();
    }
    String path = truth.path();
    try (InputStream in = open(path, conf)) {
      return Optional.of(Nb201Table.read(in, path, List.of(truth.column()),
          Search.HEADLINE_COLUMNS));
    } catch (IOException e) {
      throw new InputException("rdnas.ground-truth.path " + path + ": " + e.getMessage()
          + (e.getMessage() != null && e.getMessage().contains("no column")
              ? " (rdnas.ground-truth.column)" : ""), e);
    }
  }

  /** Ground-truth values of {@code archs} (NaN where the table has none). */
  public static double[] truthOf(Nb201Table table, String column, List<Long> archs) {
    double[] v = new double[archs.size()];
    for (int i = 0; i < v.length; i++) {
      v[i] = table.value(column, Arch.fromId(archs.get(i)));
    }
    return v;
  }

  private static InputStream open(String path, Configuration conf) throws IOException {
    Path p = new Path(path);
    FileSystem fs = p.getFileSystem(conf);
    if (!fs.exists(p)) {
      throw new FileNotFoundException("no such file");
    }
    return fs.open(p);
  }
}
