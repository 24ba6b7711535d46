package org.rdnas.scoring;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.rdnas.io.BuildInfo;
import org.rdnas.report.Charts;
import org.rdnas.report.HtmlReport;
import org.rdnas.space.Nb201Space;
import org.rdnas.util.Stats;

/**
 * Job 1's HTML report ({@link ReportFolder}): each proxy's correlation with the ground truth when
 * one was given, how many archs each proxy scored and failed, each proxy's score distribution, and
 * the run's counts, versions and configuration.
 */
public final class ScoringReport {
  private static final int BINS = 30;
  /** Positive scores spanning more than this factor are plotted as log10 (synflow reaches 1e34). */
  private static final double LOG_SPAN = 1e3;

  private ScoringReport() {}

  /**
   * The report of a run.
   *
   * @param values each proxy's score per arch of the table (NaN where it failed)
   * @param tableMeta the committed table's footer metadata (versions, device, dataset)
   */
  public static HtmlReport of(ScoringOutcome o, String candidates, Map<String, double[]> values,
      Map<String, String> tableMeta, String config, String sparkVersion) {
    HtmlReport r = HtmlReport.titled("rdnas proxy scoring: " + o.table());
    r.paragraph(String.format(Locale.ROOT, "%d archs in the ranking table (%d with every proxy "
            + "ok, %d with at least one failed); candidates: %s. This run scored %d archs (%d with "
            + "a failed proxy); %d were already scored.", o.tableRows(),
        o.tableRows() - o.tableFailed(), o.tableFailed(), candidates, o.scoredNow(),
        o.failedNow(), o.alreadyScored()));

    r.heading("Correlation with the ground truth");
    if (o.correlation().isEmpty()) {
      r.paragraph("No ground truth was given (rdnas.ground-truth.path), so no correlation is "
          + "reported.");
    } else {
      CorrelationReport c = o.correlation().get();
      r.paragraph(String.format(Locale.ROOT, "Kendall tau-b and Spearman of each proxy's scores "
              + "with %s of %s, over the %d of %d archs the ground truth has; failed scores are "
              + "left out pair by pair. FLOPs and params are baselines.", c.column(),
          c.groundTruth(), c.joined(), c.archs()));
      List<String> names = c.entries().stream().map(CorrelationReport.Entry::proxy).toList();
      Map<String, double[]> bars = new LinkedHashMap<>();
      bars.put("Kendall tau-b", c.entries().stream()
          .mapToDouble(CorrelationReport.Entry::kendallTauB).toArray());
      bars.put("Spearman", c.entries().stream()
          .mapToDouble(CorrelationReport.Entry::spearman).toArray());
      r.chart("correlation.png", () -> Charts.bars("Correlation with " + c.column(),
          "coefficient", names, bars, Charts.WIDTH, Charts.HEIGHT),
          "Kendall tau-b and Spearman per proxy");
      List<List<String>> rows = new ArrayList<>();
      for (CorrelationReport.Entry e : c.entries()) {
        rows.add(List.of(e.proxy(), Integer.toString(e.n()), HtmlReport.number(e.kendallTauB()),
            HtmlReport.number(e.spearman()), HtmlReport.number(e.top1Truth()),
            e.top1TrueRank() == null ? "" : e.top1TrueRank().toString(),
            HtmlReport.number(e.bestTruthInTop10()), e.baseline() ? "baseline" : ""));
      }
      r.paragraph("The zero-shot answer: each proxy's top-1 arch, its true accuracy and true rank "
          + "among all " + Nb201Space.full().size() + " archs of NAS-Bench-201, and the best true "
          + "accuracy among the proxy's top " + CorrelationReport.TOP + ".");
      r.table(List.of("proxy", "n", "Kendall tau-b", "Spearman", "top-1 true accuracy",
          "top-1 true rank", "best true accuracy in top 10", ""), rows);
    }

    r.heading("Archs per proxy");
    List<List<String>> counts = new ArrayList<>();
    for (Map.Entry<String, double[]> e : values.entrySet()) {
      double[] ok = finite(e.getValue());
      counts.add(List.of(e.getKey(), Integer.toString(ok.length),
          Integer.toString(e.getValue().length - ok.length),
          HtmlReport.number(ok.length == 0 ? Double.NaN : ok[0]),
          HtmlReport.number(Stats.median(ok)),
          HtmlReport.number(ok.length == 0 ? Double.NaN : ok[ok.length - 1])));
    }
    r.table(List.of("proxy", "ok", "failed", "min", "median", "max"), counts);

    r.heading("Score distributions");
    r.paragraph("Each proxy's scores over the archs it scored (failed scores left out); positive "
        + "scores spanning more than three decades are shown as log10.");
    for (Map.Entry<String, double[]> e : values.entrySet()) {
      double[] ok = finite(e.getValue());
      boolean log = ok.length > 0 && ok[0] > 0 && ok[ok.length - 1] / ok[0] > LOG_SPAN;
      double[] shown = log ? Arrays.stream(ok).map(Math::log10).toArray() : ok;
      String label = log ? "log10(" + e.getKey() + ")" : e.getKey();
      r.chart("scores-" + e.getKey().replaceAll("[^A-Za-z0-9_-]", "_") + ".png",
          () -> Charts.histogram(e.getKey(), label, shown, BINS, Charts.WIDTH, Charts.HEIGHT),
          e.getKey() + ": " + ok.length + " scores");
    }

    Map<String, String> versions = new LinkedHashMap<>();
    versions.put("rdnas (table)", tableMeta.getOrDefault(RankingTableSchema.META_VERSION, "?"));
    versions.put("rdnas (report)", BuildInfo.version());
    versions.put("DJL", tableMeta.getOrDefault(RankingTableSchema.META_DJL, "?"));
    versions.put("PyTorch", tableMeta.getOrDefault(RankingTableSchema.META_PYTORCH, "?"));
    versions.put("Spark", sparkVersion);
    versions.put("device", tableMeta.getOrDefault(RankingTableSchema.META_DEVICE, "?"));
    versions.put("dataset", tableMeta.getOrDefault(RankingTableSchema.META_DATASET, "?"));
    versions.put("table created", tableMeta.getOrDefault(RankingTableSchema.META_CREATED, "?"));
    return r.provenance(Instant.now(), versions, config);
  }

  /** The finite values, sorted. */
  private static double[] finite(double[] v) {
    return Arrays.stream(v).filter(Double::isFinite).sorted().toArray();
  }
}
