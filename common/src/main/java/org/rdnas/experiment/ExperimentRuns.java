package org.rdnas.experiment;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.rdnas.benchmark.Nb201Table;
import org.rdnas.space.Arch;
import org.rdnas.train.EvalRow;
import org.rdnas.train.RunStore;
import org.rdnas.train.Search;
import org.rdnas.train.SubnetEvaluator;
import org.rdnas.train.TrainingSummary;

/**
 * The finished training runs of an experiment, read from their {@code summary.json} files laid out as
 * {@code runs/<arm>/seed-<seed>/summary.json}: per run, the Kendall tau of every evaluation round,
 * the proxies' own tau on the same eval archs, and, from the final round's eval rows, the
 * architecture each method names among the eval archs ({@link Search#found}).
 */
public final class ExperimentRuns {
  private static final Pattern SEED_DIR = Pattern.compile("seed-(-?\\d+)");

  /** One evaluation round of one run. */
  public record Round(int epoch, long step, double tau, double tauLower, double tauUpper,
      double spearman, double precisionAtK) {}

  /** One finished run of one arm. */
  public record Run(long seed, List<Round> rounds, double wallSeconds, double imagesPerSecond,
      Map<String, Double> baselineTau, List<Search.Found> found) {
    /** The arch {@code method} names, or null when the run has none. */
    public Search.Found found(String method) {
      return found.stream().filter(f -> f.method().equals(method)).findFirst().orElse(null);
    }

    public Round last() {
      return rounds.get(rounds.size() - 1);
    }
  }

  /**
   * One arm: a training mode and teacher at a number of epochs, over seeds.
   *
   * @param subnetsPerStep subnets trained per step: 2 for RD-NAS's pair, 1 for SPOS
   */
  public record Arm(String name, String mode, List<String> teacher, int epochs, int subnetsPerStep,
      List<Run> runs) {
    /** Subnet-epochs of training: the compute an arm spent, comparable across modes. */
    public int compute() {
      return epochs * subnetsPerStep;
    }
  }

  private ExperimentRuns() {}

  /**
   * Reads every {@code <runsDir>/<arm>/seed-<s>/summary.json}, arms in {@code armOrder} first (the
   * others after, by name), runs by seed.
   *
   * @param truth NAS-Bench-201's table with its headline columns ({@link Search#HEADLINE_COLUMNS}),
   *     for the test accuracy of the archs found; null without
   * @throws IOException naming the file that is unreadable or lacks an evaluation with ground truth
   */
  public static List<Arm> read(Path runsDir, List<String> armOrder, Nb201Table truth)
      throws IOException {
    if (!Files.isDirectory(runsDir)) {
      throw new IOException("no runs folder at " + runsDir);
    }
    Map<String, List<Path>> byArm = new LinkedHashMap<>();
    try (Stream<Path> arms = Files.list(runsDir)) {
      for (Path arm : arms.filter(Files::isDirectory).sorted().toList()) {
        try (Stream<Path> seeds = Files.list(arm)) {
          List<Path> done = seeds.filter(p -> SEED_DIR.matcher(p.getFileName().toString()).matches())
              .map(p -> p.resolve("summary.json")).filter(Files::isRegularFile).sorted().toList();
          if (!done.isEmpty()) {
            byArm.put(arm.getFileName().toString(), done);
          }
        }
      }
    }
    List<Arm> out = new ArrayList<>();
    for (Map.Entry<String, List<Path>> e : byArm.entrySet()) {
      out.add(arm(e.getKey(), e.getValue(), truth));
    }
    out.sort(Comparator.comparingInt((Arm a) -> {
      int i = armOrder.indexOf(a.name());
      return i < 0 ? Integer.MAX_VALUE : i;
    }).thenComparing(Arm::name));
    return out;
  }

  private static Arm arm(String name, List<Path> summaries, Nb201Table truth)
      throws IOException {
    String mode = null;
    List<String> teacher = List.of();
    int epochs = -1;
    List<Run> runs = new ArrayList<>();
    for (Path p : summaries) {
      TrainingSummary s = read(p);
      String m = s.mode();
      int e = s.training().epochs();
      if (mode != null && (!mode.equals(m) || epochs != e)) {
        throw new IOException(p + ": mode " + m + " at " + e + " epochs differs from the arm's other"
            + " runs (" + mode + " at " + epochs + ")");
      }
      mode = m;
      epochs = e;
      List<String> t = s.rankingTable() == null || s.rankingTable().teacher() == null
          ? List.of() : s.rankingTable().teacher();
      teacher = m.equals("rdnas") ? t : List.of();
      runs.add(run(s, p, truth));
    }
    runs.sort(Comparator.comparingLong(Run::seed));
    return new Arm(name, mode, teacher, epochs, "rdnas".equals(mode) ? 2 : 1, runs);
  }

  private static TrainingSummary read(Path p) throws IOException {
    TrainingSummary s;
    try (InputStream in = Files.newInputStream(p)) {
      s = TrainingSummary.read(in);
    } catch (JsonProcessingException e) {
      throw new IOException(p + " is not a distill-train summary: " + e.getOriginalMessage(), e);
    }
    for (Object[] f : new Object[][] {{"mode", s.mode()}, {"training", s.training()},
        {"evaluation", s.evaluation()}}) {
      if (f[1] == null) {
        throw new IOException(p + " has no '" + f[0] + "' field: not a distill-train summary");
      }
    }
    return s;
  }

  private static Run run(TrainingSummary s, Path p, Nb201Table truth) throws IOException {
    Matcher m = SEED_DIR.matcher(p.getParent().getFileName().toString());
    if (!m.matches()) {
      throw new IOException(p + " is not under a seed-<n> folder");
    }
    List<Round> rounds = new ArrayList<>();
    for (TrainingSummary.Round r : s.evaluation().rounds()) {
      TrainingSummary.Report g = r.supernetVsGroundTruth();
      if (g == null) {
        throw new IOException(p + ": evaluation round " + r.round()
            + " has no comparison with ground truth (run the jobs with rdnas.ground-truth.path)");
      }
      TrainingSummary.Tau tau = g.kendallTauB();
      rounds.add(new Round(r.epoch(), r.step(), number(tau.estimate()), number(tau.ci95Lower()),
          number(tau.ci95Upper()), number(g.spearman()), number(g.precisionAtK())));
    }
    if (rounds.isEmpty()) {
      throw new IOException(p + " has no evaluation round");
    }
    Map<String, Double> baselines = new LinkedHashMap<>();
    if (s.evaluation().baselinesVsGroundTruth() != null) {
      s.evaluation().baselinesVsGroundTruth().forEach((k, v) ->
          baselines.put(k, v == null ? Double.NaN : number(v.kendallTauB().estimate())));
    }
    return new Run(Long.parseLong(m.group(1)), List.copyOf(rounds),
        number(s.provenance().wallSeconds()),
        s.throughput() == null ? Double.NaN : number(s.throughput().imagesPerSecond()),
        baselines, found(p.getParent(), rounds.get(rounds.size() - 1).step(),
            s.search() == null ? 0.5 : s.search().supernetWeight(), truth));
  }

  /**
   * What each method names among the eval archs of the final round at {@code step}, from the run's
   * eval journals: the supernet's accuracy, the teacher's score and their combined rank.
   */
  private static List<Search.Found> found(Path run, long step, double supernetWeight,
      Nb201Table truth) throws IOException {
    List<EvalRow> rows = RunStore.at(run.toString(), new Configuration())
        .readJournals(RunStore.EVAL, step, EvalRow.class).stream()
        .filter(r -> r.step() == step).toList();
    if (rows.isEmpty()) {
      return List.of();
    }
    List<Long> archs = rows.stream().map(EvalRow::archId).toList();
    List<SubnetEvaluator.Result> results = rows.stream().map(r -> new SubnetEvaluator.Result(
        r.accuracy(), r.loss() == null ? Double.NaN : r.loss())).toList();
    Double[] teacher = rows.stream().map(EvalRow::teacherScore).toArray(Double[]::new);
    boolean anyTeacher = Arrays.stream(teacher).anyMatch(Objects::nonNull);
    return Search.found(Search.rank(archs, results, anyTeacher ? teacher : null, supernetWeight,
        null, null, null, id -> Arch.fromId(id).toString()), truth);
  }

  private static double number(Double v) {
    return v == null ? Double.NaN : v;
  }
}
