package org.rdnas.experiment;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.rdnas.experiment.ExperimentRuns.Arm;
import org.rdnas.experiment.ExperimentRuns.Round;
import org.rdnas.experiment.ExperimentRuns.Run;
import org.rdnas.report.Charts;

/**
 * The findings of an RD-NAS vs SPOS experiment from its runs: final Kendall tau and Spearman per arm
 * (mean and 95% interval over seeds), the proxies alone on the same eval archs, the gain of each
 * RD-NAS arm over SPOS at equal epochs and at equal compute (paired by seed, with the seeds a 0.10
 * half-width would need), the test accuracy of the architecture each method names, and tau over
 * training. Pure: it formats what the runs measured and judges nothing else.
 */
public final class ExperimentReport {
  private final List<Arm> arms;
  private final List<String> setup;

  /**
   * @param arms the arms, in the order to report them
   * @param setup lines describing the experiment's scale and command, printed first
   */
  public ExperimentReport(List<Arm> arms, List<String> setup) {
    if (arms.isEmpty()) {
      throw new IllegalArgumentException("no finished run to report");
    }
    this.arms = List.copyOf(arms);
    this.setup = List.copyOf(setup);
  }

  /** Per-seed final tau of an arm. */
  static double[] finalTaus(Arm a) {
    return a.runs().stream().mapToDouble(r -> r.last().tau()).toArray();
  }

  /** The proxies' tau on the eval archs (identical in every RD-NAS run), ensembles included. */
  public Map<String, Double> proxiesAlone() {
    Map<String, Double> out = new LinkedHashMap<>();
    for (Arm a : arms) {
      if (!a.mode().equals("rdnas")) {
        continue;
      }
      Map<String, Double> b = a.runs().get(0).baselineTau();
      b.forEach((k, v) -> {
        if (!k.equals("teacher")) {
          out.putIfAbsent(k, v);
        }
      });
      if (a.teacher().size() > 1 && b.containsKey("teacher")) {
        out.putIfAbsent("mean rank of " + String.join(", ", a.teacher()), b.get("teacher"));
      }
    }
    return out;
  }

  /** The half-width of the paired tau difference's 95% interval the experiment aims at. */
  public static final double TARGET_HALF_WIDTH = 0.10;

  /**
   * A comparison of an RD-NAS arm with a SPOS arm, paired by seed: the final tau's difference, its
   * size relative to SPOS's tau, and the final Spearman's difference.
   */
  public record Gain(Arm rdnas, Arm spos, SeedStats difference, double relative,
      SeedStats spearmanDifference) {
    /** Seeds for a {@link #TARGET_HALF_WIDTH} half-width at the spread measured; -1 unknown. */
    public int seedsForTarget() {
      return SeedStats.seedsFor(difference.sd(), TARGET_HALF_WIDTH);
    }
  }

  /** The methods whose top-1 the report follows ({@link org.rdnas.train.Search#found}). */
  public static final List<String> METHODS = List.of("supernet", "teacher", "combined");

  /**
   * What a method names in an arm's runs: NAS-Bench-201's test_acc and valid_test_acc of its top-1
   * among the eval archs, over seeds.
   */
  public record Found(Arm arm, String method, SeedStats testAcc, SeedStats validTestAcc) {}

  /** Each arm's top-1 of each method, where the runs name one with known accuracies. */
  public List<Found> found() {
    List<Found> out = new ArrayList<>();
    for (Arm a : arms) {
      for (String m : METHODS) {
        List<org.rdnas.train.Search.Found> f = a.runs().stream().map(r -> r.found(m))
            .filter(x -> x != null && x.testAcc() != null).toList();
        if (!f.isEmpty()) {
          out.add(new Found(a, m,
              SeedStats.of(f.stream().mapToDouble(x -> x.testAcc()).toArray()),
              SeedStats.of(f.stream().mapToDouble(x -> x.validTestAcc() == null ? Double.NaN
                  : x.validTestAcc()).toArray())));
        }
      }
    }
    return out;
  }

  /**
   * Each RD-NAS arm against the SPOS arm of equal epochs ({@code equalCompute} false) or of equal
   * subnet-epochs ({@code equalCompute} true), when there is one.
   */
  public List<Gain> gains(boolean equalCompute) {
    List<Gain> out = new ArrayList<>();
    for (Arm rd : arms) {
      if (!rd.mode().equals("rdnas")) {
        continue;
      }
      // An ablation arm (rdnas-flops-bnrecal) pairs with its SPOS twin (spos-bnrecal) when there is one.
      String twin = "spos" + rd.name().replaceFirst("^rdnas-[a-z]+", "");
      Optional<Arm> base = arms.stream().filter(a -> a.mode().equals("spos"))
          .filter(a -> equalCompute ? a.compute() == rd.compute() : a.epochs() == rd.epochs())
          .min(Comparator.comparing((Arm a) -> !a.name().equals(twin)));
      base.ifPresent(s -> out.add(gain(rd, s)));
    }
    return out;
  }

  private static Gain gain(Arm rd, Arm spos) {
    List<Double> diffs = new ArrayList<>();
    List<Double> rhoDiffs = new ArrayList<>();
    for (Run r : rd.runs()) {
      spos.runs().stream().filter(s -> s.seed() == r.seed()).findFirst().ifPresent(s -> {
        diffs.add(r.last().tau() - s.last().tau());
        rhoDiffs.add(r.last().spearman() - s.last().spearman());
      });
    }
    SeedStats d = SeedStats.of(diffs.stream().mapToDouble(Double::doubleValue).toArray());
    double base = SeedStats.of(finalTaus(spos)).mean();
    // A relative gain over a baseline at or below zero says nothing, so it is not given.
    double relative = base > 0 ? d.mean() / base : Double.NaN;
    return new Gain(rd, spos, d, relative,
        SeedStats.of(rhoDiffs.stream().mapToDouble(Double::doubleValue).toArray()));
  }

  /** File name of the tau-over-training plot, next to the report. */
  public static final String TAU_PLOT = "tau-over-training.png";
  /** File name of the final-tau plot, next to the report. */
  public static final String FINAL_PLOT = "final-tau.png";

  /**
   * The plots: tau over training (mean over seeds with its 95% band, per arm, against subnet-epochs)
   * and the final tau per arm next to the proxies alone.
   */
  public Map<String, byte[]> charts() {
    List<Charts.Series> lines = new ArrayList<>();
    for (Arm a : arms) {
      int n = roundCount(a);
      double[] x = new double[n];
      double[] y = new double[n];
      double[] lo = new double[n];
      double[] hi = new double[n];
      for (int i = 0; i < n; i++) {
        SeedStats t = roundStats(a, i);
        x[i] = a.runs().get(0).rounds().get(i).epoch() * a.subnetsPerStep();
        y[i] = t.mean();
        lo[i] = t.lower();
        hi[i] = t.upper();
      }
      lines.add(new Charts.Series(a.name(), x, y, lo, hi));
    }
    List<String> names = new ArrayList<>();
    List<Double> values = new ArrayList<>();
    for (Arm a : arms) {
      names.add(a.name());
      values.add(SeedStats.of(finalTaus(a)).mean());
    }
    proxiesAlone().forEach((k, v) -> {
      names.add("proxy " + k);
      values.add(v);
    });
    Map<String, byte[]> out = new LinkedHashMap<>();
    out.put(TAU_PLOT, Charts.line("Kendall tau-b over training (mean over seeds, 95% band)",
        "subnet-epochs", "Kendall tau-b", lines, Charts.WIDTH, Charts.HEIGHT));
    out.put(FINAL_PLOT, Charts.bars("Final Kendall tau-b on the eval archs", "Kendall tau-b", names,
        Map.of("tau", values.stream().mapToDouble(Double::doubleValue).toArray()), Charts.WIDTH,
        Charts.HEIGHT));
    return out;
  }

  /**
   * The report as Markdown, referencing the plots of {@link #charts()} or saying why there are none.
   *
   * @param chartsUnavailable why the plots could not be drawn, or empty when they were
   */
  public String markdown(Optional<String> chartsUnavailable) {
    StringBuilder md = new StringBuilder("# RD-NAS vs SPOS: supernet ranking against NAS-Bench-201\n\n");
    setup.forEach(l -> md.append("- ").append(l).append('\n'));
    md.append('\n').append(chartsUnavailable.map(why -> "(No plots: " + why + ")\n")
        .orElse("![final tau](" + FINAL_PLOT + ")\n\n![tau over training](" + TAU_PLOT + ")\n"));
    md.append("\n## Final Kendall tau-b of supernet accuracy vs ground truth\n\n")
        .append("Mean over seeds with the 95% interval by Student's t (n - 1 degrees of freedom); ")
        .append("per-seed values in brackets.\n\n")
        .append("| arm | mode | teacher | epochs | subnet-epochs | seeds | tau mean | 95% CI | per seed ")
        .append("| Spearman mean | Spearman 95% CI | precision@k mean | wall s per run |\n")
        .append("|---|---|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (Arm a : arms) {
      SeedStats t = SeedStats.of(finalTaus(a));
      SeedStats rho = SeedStats.of(a.runs().stream().mapToDouble(r -> r.last().spearman())
          .toArray());
      double pk = SeedStats.of(a.runs().stream().mapToDouble(r -> r.last().precisionAtK())
          .toArray()).mean();
      double wall = a.runs().stream().mapToDouble(Run::wallSeconds).average().orElse(Double.NaN);
      md.append(String.format(Locale.ROOT, "| %s | %s | %s | %d | %d | %d | %s | %s | %s | %s | %s | %s | %s |%n",
          a.name(), a.mode(), a.teacher().isEmpty() ? "-" : String.join(", ", a.teacher()),
          a.epochs(), a.compute(), t.n(), f(t.mean()), ci(t), perSeed(a), f(rho.mean()), ci(rho),
          f(pk),
          String.format(Locale.ROOT, "%.0f", wall)));
    }
    Map<String, Double> proxies = proxiesAlone();
    if (!proxies.isEmpty()) {
      md.append("\n## The proxies alone on the same eval archs\n\n")
          .append("Deterministic (one scoring run); the ranking the teachers hand to the supernet.\n\n")
          .append("| proxy | Kendall tau-b |\n|---|---|\n");
      proxies.forEach((k, v) -> md.append("| ").append(k).append(" | ").append(f(v)).append(" |\n"));
    }
    gainSection(md, "## Gain over SPOS at equal epochs",
        "RD-NAS minus SPOS final tau, paired by seed (same initial weights and data order).",
        gains(false));
    gainSection(md, "## Gain over SPOS at equal compute",
        "RD-NAS trains two subnets a step; here SPOS trains twice the epochs, so both arms ran the same"
            + " number of subnet forward and backward passes.", gains(true));
    List<Found> found = found();
    if (!found.isEmpty()) {
      md.append("\n## The architecture each method names\n\n")
          .append("Among the eval archs, the top-1 by the supernet's accuracy, by the teacher's ")
          .append("score alone, and by their combined rank (the search's, w = 0.5 unless the runs ")
          .append("set it); NAS-Bench-201's CIFAR-10 test_acc (optimum 94.37%) and valid_test_acc ")
          .append("of it, mean over seeds with the 95% interval.\n\n")
          .append("| arm | best by | seeds | test_acc mean | 95% CI | valid_test_acc mean |\n")
          .append("|---|---|---|---|---|---|\n");
      for (Found x : found) {
        md.append(String.format(Locale.ROOT, "| %s | %s | %d | %s | %s | %s |%n", x.arm().name(),
            x.method(), x.testAcc().n(), f2(x.testAcc().mean()), ci2(x.testAcc()),
            f2(x.validTestAcc().mean())));
      }
    }
    md.append("\n## Kendall tau over training\n\n")
        .append("Mean over seeds [95% CI] at each evaluation round; subnet-epochs = epochs x subnets per ")
        .append("step.\n\n| arm | epoch | subnet-epochs | tau mean | 95% CI |\n|---|---|---|---|---|\n");
    for (Arm a : arms) {
      for (int i = 0; i < roundCount(a); i++) {
        SeedStats t = roundStats(a, i);
        int epoch = a.runs().get(0).rounds().get(i).epoch();
        md.append(String.format(Locale.ROOT, "| %s | %d | %d | %s | %s |%n", a.name(), epoch,
            epoch * a.subnetsPerStep(), f(t.mean()), ci(t)));
      }
    }
    return md.toString();
  }

  private static void gainSection(StringBuilder md, String title, String text, List<Gain> gains) {
    if (gains.isEmpty()) {
      return;
    }
    md.append('\n').append(title).append("\n\n").append(text).append("\n\n")
        .append("| RD-NAS arm | SPOS arm | seeds | tau gain mean | 95% CI | half-width | sd | ")
        .append("seeds for half-width " + TARGET_HALF_WIDTH + " | relative to SPOS tau ")
        .append("| Spearman gain mean | Spearman 95% CI |\n")
        .append("|---|---|---|---|---|---|---|---|---|---|---|\n");
    for (Gain g : gains) {
      int need = g.seedsForTarget();
      md.append(String.format(Locale.ROOT, "| %s | %s | %d | %s | %s | %s | %s | %s | %s | %s | %s |%n",
          g.rdnas().name(), g.spos().name(), g.difference().n(), signed(g.difference().mean()),
          ci(g.difference()), f(g.difference().halfWidth()), f(g.difference().sd()),
          need < 0 ? "-" : String.valueOf(need),
          Double.isNaN(g.relative()) ? "n/a (SPOS tau <= 0)"
              : String.format(Locale.ROOT, "%+.1f%%", 100 * g.relative()),
          signed(g.spearmanDifference().mean()), ci(g.spearmanDifference())));
    }
  }

  /** Rounds every run of the arm has (runs of one arm share their schedule). */
  static int roundCount(Arm a) {
    return a.runs().stream().mapToInt(r -> r.rounds().size()).min().orElse(0);
  }

  static SeedStats roundStats(Arm a, int round) {
    return SeedStats.of(a.runs().stream().mapToDouble(r -> r.rounds().get(round).tau()).toArray());
  }

  /** The report's figures as JSON, for notebooks and scripts. */
  public String json() {
    ObjectMapper m = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
    ObjectNode root = m.createObjectNode();
    ArrayNode setupNode = root.putArray("setup");
    setup.forEach(setupNode::add);
    ArrayNode armsNode = root.putArray("arms");
    for (Arm a : arms) {
      ObjectNode n = armsNode.addObject();
      n.put("name", a.name()).put("mode", a.mode()).put("epochs", a.epochs())
          .put("subnet_epochs", a.compute());
      a.teacher().forEach(n.putArray("teacher")::add);
      stats(n.putObject("final_tau"), SeedStats.of(finalTaus(a)));
      ArrayNode runs = n.putArray("runs");
      for (Run r : a.runs()) {
        ObjectNode rn = runs.addObject().put("seed", r.seed()).put("wall_seconds", r.wallSeconds());
        ArrayNode rounds = rn.putArray("rounds");
        for (Round x : r.rounds()) {
          rounds.addObject().put("epoch", x.epoch()).put("step", x.step()).put("tau", x.tau())
              .put("spearman", x.spearman()).put("precision_at_k", x.precisionAtK());
        }
        ArrayNode found = rn.putArray("found");
        for (org.rdnas.train.Search.Found x : r.found()) {
          ObjectNode fn = found.addObject().put("method", x.method()).put("arch_id", x.archId())
              .put("arch", x.arch()).put("supernet_accuracy", x.supernetAccuracy());
          fn.put("test_acc", x.testAcc()).put("valid_test_acc", x.validTestAcc());
        }
      }
    }
    ArrayNode foundNode = root.putArray("found");
    for (Found x : found()) {
      ObjectNode n = foundNode.addObject().put("arm", x.arm().name()).put("method", x.method());
      stats(n.putObject("test_acc"), x.testAcc());
      stats(n.putObject("valid_test_acc"), x.validTestAcc());
    }
    ObjectNode proxies = root.putObject("proxies_alone_tau");
    proxiesAlone().forEach(proxies::put);
    for (boolean eq : new boolean[] {false, true}) {
      ArrayNode g = root.putArray(eq ? "gain_equal_compute" : "gain_equal_epochs");
      for (Gain x : gains(eq)) {
        ObjectNode n = g.addObject().put("rdnas", x.rdnas().name()).put("spos", x.spos().name());
        stats(n.putObject("tau_difference"), x.difference());
        n.put("relative", x.relative());
        n.put("seeds_for_half_width_" + TARGET_HALF_WIDTH, x.seedsForTarget());
        stats(n.putObject("spearman_difference"), x.spearmanDifference());
      }
    }
    try {
      return m.writeValueAsString(root);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void stats(ObjectNode n, SeedStats s) {
    n.put("n", s.n()).put("mean", s.mean()).put("sd", s.sd()).put("ci95_lower", s.lower())
        .put("ci95_upper", s.upper());
  }

  private static String perSeed(Arm a) {
    List<String> v = new ArrayList<>();
    for (Run r : a.runs()) {
      v.add(f(r.last().tau()));
    }
    return "[" + String.join(", ", v) + "]";
  }

  private static String ci(SeedStats s) {
    return Double.isNaN(s.lower()) ? "-" : "[" + f(s.lower()) + ", " + f(s.upper()) + "]";
  }

  private static String f(double v) {
    return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.3f", v);
  }

  private static String f2(double v) {
    return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%.2f", v);
  }

  private static String ci2(SeedStats s) {
    return Double.isNaN(s.lower()) ? "-" : "[" + f2(s.lower()) + ", " + f2(s.upper()) + "]";
  }

  private static String signed(double v) {
    return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%+.3f", v);
  }
}
