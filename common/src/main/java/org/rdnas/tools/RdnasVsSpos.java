package org.rdnas.tools;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.rdnas.benchmark.Nb201Table;
import org.rdnas.experiment.ExperimentPlan;
import org.rdnas.experiment.ExperimentReport;
import org.rdnas.experiment.ExperimentRuns;
import org.rdnas.report.Charts;
import org.rdnas.space.Arch;
import org.rdnas.space.Nb201Space;
import org.rdnas.train.Search;

/**
 * The Spark-free steps of {@code deploy/experiments/rdnas-vs-spos}:
 *
 * <pre>
 *   RdnasVsSpos plan DIR SPACE CANDIDATES EVAL_ARCHS SEED [EXCLUDE]
 *                                                           writes DIR/candidates.txt, DIR/eval-archs.txt,
 *                                                           DIR/validation-archs.txt; no arch whose id
 *                                                           starts a line of the file EXCLUDE (a CSV
 *                                                           with an arch id first) is drawn
 *   RdnasVsSpos report DIR [GROUND_TRUTH]                   reads DIR/runs/*&#47;seed-*&#47;summary.json,
 *                                                           DIR/setup.txt and DIR/invocations.txt, writes DIR/report.md,
 *                                                           DIR/results.json and the report's PNGs; with
 *                                                           the NAS-Bench-201 CSV, the test accuracies
 *                                                           of the archs each method names
 * </pre>
 *
 * A plan already on disk must equal the one the arguments draw, so a rerun of an interrupted
 * experiment cannot silently change its archs.
 */
public final class RdnasVsSpos {
  /** Arms in report order; others follow by name. */
  static final List<String> ARM_ORDER = List.of("spos", "rdnas-flops", "rdnas-chosen",
      "rdnas-naswot", "rdnas-ensemble", "spos-2x");

  private RdnasVsSpos() {}

  public static void main(String[] args) {
    try {
      if ((args.length == 6 || args.length == 7) && args[0].equals("plan")) {
        plan(Path.of(args[1]), Nb201Space.named(args[2]), Integer.parseInt(args[3]),
            Integer.parseInt(args[4]), Long.parseLong(args[5]),
            args.length == 7 ? excluded(Path.of(args[6])) : Set.of());
      } else if ((args.length == 2 || args.length == 3) && args[0].equals("report")) {
        report(Path.of(args[1]), args.length == 3 ? truth(Path.of(args[2])) : null);
      } else {
        System.err.println("usage: RdnasVsSpos plan DIR SPACE CANDIDATES EVAL_ARCHS SEED [EXCLUDE]\n"
            + "       RdnasVsSpos report DIR [GROUND_TRUTH]");
        System.exit(2);
      }
    } catch (IOException | IllegalArgumentException e) {
      System.err.println("rdnas-vs-spos: " + e.getMessage());
      System.exit(2);
    }
  }

  static void plan(Path dir, Nb201Space space, int candidates, int eval, long seed,
      Set<Integer> excluded) throws IOException {
    ExperimentPlan p = ExperimentPlan.draw(space, candidates, eval, seed, excluded);
    Files.createDirectories(dir);
    writeOnce(dir.resolve("candidates.txt"), lines(p.candidates()));
    writeOnce(dir.resolve("eval-archs.txt"), lines(p.eval()));
    writeOnce(dir.resolve("validation-archs.txt"), lines(p.validation()));
    System.out.println("plan: " + p.candidates().size() + " candidates, " + p.eval().size()
        + " eval archs, " + p.validation().size() + " validation archs of " + space.name()
        + " (seed " + seed + (excluded.isEmpty() ? "" : ", " + excluded.size() + " archs excluded")
        + ") in " + dir);
  }

  /** The arch ids that start the lines of {@code file}; a line that starts otherwise (a header) is skipped. */
  static Set<Integer> excluded(Path file) throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new IOException(file + ": no such file (the archs to exclude from the plan)");
    }
    Set<Integer> ids = new HashSet<>();
    for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
      String first = line.split(",", 2)[0].trim();
      if (first.matches("\\d+")) {
        ids.add(Integer.parseInt(first));
      }
    }
    if (ids.isEmpty()) {
      throw new IOException(file + ": no line starts with an arch id (the archs to exclude)");
    }
    return ids;
  }

  /** NAS-Bench-201's table with the headline accuracies. */
  static Nb201Table truth(Path csv) throws IOException {
    try (InputStream in = Files.newInputStream(csv)) {
      return Nb201Table.read(in, csv.toString(), List.of(), Search.HEADLINE_COLUMNS);
    } catch (NoSuchFileException e) {
      throw new IOException(csv + ": no such file (the NAS-Bench-201 ground-truth CSV)", e);
    }
  }

  static void report(Path dir, Nb201Table truth) throws IOException {
    List<String> setup = new ArrayList<>(lines(dir.resolve("setup.txt")));
    setup.addAll(lines(dir.resolve("invocations.txt")));
    ExperimentReport r = new ExperimentReport(ExperimentRuns.read(dir.resolve("runs"), ARM_ORDER,
        truth), setup);
    Optional<String> noCharts = Charts.unavailable();
    if (noCharts.isEmpty()) {
      for (Map.Entry<String, byte[]> c : r.charts().entrySet()) {
        writeAtomically(dir.resolve(c.getKey()), c.getValue());
      }
    }
    String md = r.markdown(noCharts);
    writeAtomically(dir.resolve("report.md"), md);
    writeAtomically(dir.resolve("results.json"), r.json());
    System.out.print(md);
  }

  private static List<String> lines(Path file) throws IOException {
    return Files.isRegularFile(file) ? Files.readAllLines(file, StandardCharsets.UTF_8).stream()
        .filter(l -> !l.isBlank()).toList() : List.of();
  }

  private static String lines(List<Arch> archs) {
    return archs.stream().map(Arch::toString).collect(Collectors.joining("\n", "", "\n"));
  }

  private static void writeOnce(Path file, String content) throws IOException {
    if (Files.exists(file)) {
      if (!Files.readString(file, StandardCharsets.UTF_8).equals(content)) {
        throw new IOException(file + " exists with other archs than this plan draws: the experiment"
            + " folder belongs to other settings; use a new folder");
      }
      return;
    }
    writeAtomically(file, content);
  }

  private static void writeAtomically(Path file, String content) throws IOException {
    writeAtomically(file, content.getBytes(StandardCharsets.UTF_8));
  }

  private static void writeAtomically(Path file, byte[] content) throws IOException {
    Path tmp = file.resolveSibling("." + file.getFileName() + ".tmp");
    Files.write(tmp, content);
    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
  }
}
