package org.rdnas.train;

import org.rdnas.config.EvalConfig;
import org.rdnas.rank.RankingReport;

/** Ranking reports of an evaluation round against ground truth, and their one-line form. */
public final class EvalReports {
  private EvalReports() {}

  /**
   * The report of {@code predicted} against {@code truth} with the eval settings' k, bootstrap
   * resamples and seed (k as {@link EvalConfig#topK(int)} over all the eval archs), or null when fewer than 2 archs have both values.
   */
  public static RankingReport of(double[] predicted, double[] truth, EvalConfig eval) {
    int complete = 0;
    for (int i = 0; i < predicted.length; i++) {
      complete += Double.isNaN(predicted[i]) || Double.isNaN(truth[i]) ? 0 : 1;
    }
    if (complete < 2) {
      return null;
    }
    return RankingReport.of(predicted, truth, eval.topK(predicted.length), eval.bootstrap(),
        eval.seed());
  }

  /** A one-line form for logs. */
  public static String line(RankingReport r) {
    if (r == null) {
      return "no ground truth for 2 or more eval archs";
    }
    return String.format(java.util.Locale.ROOT,
        "Kendall tau-b %.4f [%.4f, %.4f], Spearman %.4f, Pearson %.4f, precision@%d %.2f (n=%d)",
        r.kendallTau().estimate(), r.kendallTau().lower(), r.kendallTau().upper(), r.spearman(),
        r.pearson(), r.k(), r.precisionAtK(), r.n());
  }
}
