package org.rdnas.train;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.rdnas.report.Charts;
import org.rdnas.report.HtmlReport;
import org.rdnas.io.BuildInfo;

/**
 * Job 2's HTML report ({@link org.rdnas.io.ReportFolder}): losses and lambda over the steps,
 * Kendall tau-b of the supernet's ranking over the evaluation rounds with its bootstrap interval,
 * the final round's accuracies against the ground truth (their histogram without one), and the
 * metrics of {@code summary.json}, from which the evaluation figures are taken as they are.
 */
public final class TrainingReport {
  private static final int BINS = 20;

  private TrainingReport() {}

  /** The report of a finished run: every metrics and eval row, and its summary. */
  public static HtmlReport of(List<StepRow> metrics, List<EvalRow> evals, JsonNode summary,
      String output, String config) {
    String mode = summary.path("mode").asText();
    HtmlReport r = HtmlReport.titled("rdnas distill-train (" + mode + "): " + output);
    JsonNode t = summary.path("training");
    r.paragraph(t.path("steps").asLong() + " steps (" + t.path("epochs").asInt() + " epochs of "
        + t.path("steps_per_epoch").asLong() + ") of " + t.path("batch_size").asInt()
        + " images on " + t.path("workers").asInt() + " workers, supernet "
        + t.path("supernet").asText() + ", " + t.path("data").asText() + "."
        + (summary.path("resumed_from_step").isNull() ? ""
            : " Resumed at step " + summary.path("resumed_from_step").asLong() + "."));

    r.heading("Losses");
    double[] steps = column(metrics, StepRow::step);
    List<Charts.Series> losses = new ArrayList<>();
    losses.add(Charts.Series.of("CE(a)", steps, column(metrics, StepRow::ceA)));
    boolean pairs = metrics.stream().anyMatch(m -> m.rankLoss() != null);
    if (pairs) {
      losses.add(Charts.Series.of("CE(b)", steps, column(metrics, m -> orNaN(m.ceB()))));
      losses.add(Charts.Series.of("ranking loss", steps,
          column(metrics, m -> orNaN(m.rankLoss()))));
    }
    r.chart("losses.png", () -> Charts.line("Losses per step", "step", "loss", losses,
        Charts.WIDTH, Charts.HEIGHT), pairs ? "cross-entropy of both subnets and the margin "
        + "ranking loss, per step" : "cross-entropy of the step's subnet");
    if (pairs) {
      r.chart("lambda.png", () -> Charts.line("Weight of the ranking loss", "step", "lambda",
          List.of(Charts.Series.of("lambda", steps, column(metrics, StepRow::lambda))),
          Charts.WIDTH, Charts.HEIGHT), "lambda per step");
    }

    r.heading("Ranking quality over training");
    JsonNode rounds = summary.path("evaluation").path("rounds");
    List<List<String>> table = new ArrayList<>();
    int n = rounds.size();
    double[] at = new double[n];
    double[] tau = new double[n];
    double[] lower = new double[n];
    double[] upper = new double[n];
    boolean anyTau = false;
    for (int i = 0; i < n; i++) {
      JsonNode round = rounds.get(i);
      JsonNode report = round.path("supernet_vs_ground_truth");
      JsonNode k = report.path("kendall_tau_b");
      at[i] = round.path("step").asDouble();
      tau[i] = number(k.path("estimate"));
      lower[i] = number(k.path("ci95_lower"));
      upper[i] = number(k.path("ci95_upper"));
      anyTau |= Double.isFinite(tau[i]);
      table.add(List.of(round.path("round").asText(), round.path("step").asText(),
          round.path("epoch").asText(), HtmlReport.number(number(round.path("mean_accuracy"))),
          HtmlReport.number(tau[i]), HtmlReport.number(lower[i]), HtmlReport.number(upper[i]),
          HtmlReport.number(number(report.path("spearman"))),
          HtmlReport.number(number(report.path("precision_at_k")))));
    }
    if (anyTau) {
      r.chart("kendall-tau.png", () -> Charts.line("Supernet ranking vs ground truth", "step",
          "Kendall tau-b", List.of(new Charts.Series("Kendall tau-b (95% bootstrap interval)",
              at, tau, lower, upper)), Charts.WIDTH, Charts.HEIGHT),
          "Kendall tau-b of the eval archs' supernet accuracies with the ground truth, per round");
    } else {
      r.paragraph("No Kendall tau-b to plot: no ground truth was given (rdnas.ground-truth.path), "
          + "or fewer than two eval archs have it, or the supernet ranked them all equal.");
    }
    r.table(List.of("round", "step", "epoch", "mean accuracy", "Kendall tau-b", "95% lower",
        "95% upper", "Spearman", "precision@k"), table);

    r.heading("Final evaluation");
    int last = evals.stream().mapToInt(EvalRow::round).max().orElse(-1);
    List<EvalRow> fin = evals.stream().filter(e -> e.round() == last).toList();
    double[] acc = fin.stream().mapToDouble(EvalRow::accuracy).toArray();
    List<EvalRow> withTruth = fin.stream().filter(e -> e.groundTruth() != null).toList();
    if (!withTruth.isEmpty()) {
      r.chart("final-accuracy.png", () -> Charts.scatter("Final round: supernet vs ground truth",
          "ground truth (" + summary.at("/config/rdnas/ground-truth/column").asText() + ")",
          "supernet top-1 accuracy",
          withTruth.stream().mapToDouble(EvalRow::groundTruth).toArray(),
          withTruth.stream().mapToDouble(EvalRow::accuracy).toArray(), Charts.WIDTH,
          Charts.HEIGHT), withTruth.size() + " of " + fin.size() + " eval archs with ground truth");
    } else {
      r.chart("final-accuracy.png", () -> Charts.histogram("Final round: supernet accuracy",
          "supernet top-1 accuracy", acc, BINS, Charts.WIDTH, Charts.HEIGHT),
          fin.size() + " eval archs (no ground truth)");
    }

    JsonNode search = summary.path("search");
    if (search.isObject()) {
      r.heading("Search: the best candidates");
      r.paragraph("The trained supernet ranked " + search.path("count").asInt() + " candidates ("
          + search.path("candidates").asText() + ", all in search/); combined rank = " + search.path("supernet_weight").asDouble()
          + " x the supernet's rank + the rest x the teacher's. True rank: among every arch of "
          + "the space by the ground truth.");
      List<List<String>> found = new ArrayList<>();
      for (JsonNode f : search.path("found")) {
        found.add(List.of(f.path("method").asText(), f.path("arch").asText(),
            HtmlReport.number(number(f.path("supernet_accuracy"))),
            HtmlReport.number(number(f.path("test_acc"))),
            HtmlReport.number(number(f.path("valid_test_acc"))), text(f.path("true_rank")),
            HtmlReport.number(number(f.path("true_percentile")))));
      }
      JsonNode cost = search.path("cost");
      r.paragraph("The architecture each method names (NAS-Bench-201's test_acc, whose optimum is "
          + "94.37% on CIFAR-10, and valid_test_acc, where the ground truth has them). Search cost: "
          + cost.path("scored_archs").asLong() + " archs scored by job 1, "
          + cost.path("training_images").asLong() + " training images seen, "
          + HtmlReport.number(number(cost.path("wall_seconds"))) + " s wall on "
          + cost.path("cores").asInt() + " cores.");
      r.table(List.of("best by", "arch", "supernet accuracy", "test_acc", "valid_test_acc",
          "true rank", "true percentile"), found);
      List<List<String>> top = new ArrayList<>();
      for (JsonNode row : search.path("top")) {
        top.add(List.of(row.path("combined_rank").asText(), row.path("arch").asText(),
            HtmlReport.number(number(row.path("supernet_accuracy"))),
            row.path("supernet_rank").asText(), text(row.path("teacher_rank")),
            HtmlReport.number(number(row.path("ground_truth"))), text(row.path("true_rank")),
            HtmlReport.number(number(row.path("true_percentile")))));
      }
      r.table(List.of("combined rank", "arch", "supernet accuracy", "supernet rank",
          "teacher rank", "ground truth", "true rank", "true percentile"), top);
      List<List<String>> agreement = new ArrayList<>();
      search.path("agreement").properties().forEach(e -> agreement.add(List.of(e.getKey(),
          e.getValue().path("archs").asText(),
          HtmlReport.number(number(e.getValue().path("kendall_tau"))),
          HtmlReport.number(number(e.getValue().path("spearman"))))));
      if (!agreement.isEmpty()) {
        r.paragraph("How the supernet's accuracy orders the candidates the ranking table scored, "
            + "against each of its columns (the teacher and the other proxies): what can be "
            + "known of a space without ground truth.");
        r.table(List.of("table column", "candidates", "Kendall tau", "Spearman"), agreement);
      }
    }

    r.heading("Summary");
    Map<String, String> flat = new LinkedHashMap<>();
    summary.properties().forEach(e -> {
      if (!e.getKey().equals("config") && !e.getKey().equals("versions")) {
        flatten(e.getKey(), e.getValue(), flat);
      }
    });
    r.keyValues("metric (summary.json)", "value", flat);

    Map<String, String> versions = new LinkedHashMap<>();
    versions.put("rdnas", BuildInfo.version());
    summary.path("versions").properties().forEach(e -> versions.put(e.getKey(),
        e.getValue().asText()));
    return r.provenance(Instant.now(), versions, config);
  }

  /** Scalars under {@code node} by dotted path; arrays of objects (the rounds) are left out. */
  private static void flatten(String path, JsonNode node, Map<String, String> out) {
    if (node.isObject()) {
      node.properties().forEach(e -> flatten(path + "." + e.getKey(), e.getValue(), out));
    } else if (node.isArray()) {
      List<String> items = new ArrayList<>();
      for (JsonNode item : node) {
        if (item.isContainerNode()) {
          return;
        }
        items.add(item.asText());
      }
      out.put(path, String.join(", ", items));
    } else if (node.isFloatingPointNumber()) {
      out.put(path, HtmlReport.number(node.asDouble()));
    } else {
      out.put(path, node.isNull() ? "n/a" : node.asText());
    }
  }

  private static double[] column(List<StepRow> rows, ToDoubleFunction<StepRow> f) {
    return rows.stream().mapToDouble(f).toArray();
  }

  private static double orNaN(Double v) {
    return v == null ? Double.NaN : v;
  }

  private static double number(JsonNode n) {
    return n.isNumber() ? n.asDouble() : Double.NaN;
  }

  private static String text(JsonNode n) {
    return n.isMissingNode() || n.isNull() ? "" : n.asText();
  }
}
