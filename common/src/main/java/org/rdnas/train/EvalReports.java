package org.rdnas.train;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.rdnas.config.EvalConfig;
import org.rdnas.rank.RankingReport;

/** Ranking reports of an evaluation round, and their JSON form for {@code summary.json}. */
public final class EvalReports {
  private EvalReports() {}

  /**
   * The report of {@code predicted} against {@code truth} with the eval settings' k, bootstrap
   * resamples and seed, or null when fewer than 2 archs have both values.
   */
  public static RankingReport of(double[] predicted, double[] truth, EvalConfig eval) {
    int complete = 0;
    for (int i = 0; i < predicted.length; i++) {
      complete += Double.isNaN(predicted[i]) || Double.isNaN(truth[i]) ? 0 : 1;
    }
    if (complete < 2) {
      return null;
    }
    return RankingReport.of(predicted, truth, eval.topK(), eval.bootstrap(), eval.seed());
  }

  /** {@code r} as a JSON object (NaN becomes null); null stays null. */
  public static ObjectNode json(RankingReport r) {
    if (r == null) {
      return null;
    }
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    o.put("n", r.n());
    ObjectNode tau = o.putObject("kendall_tau_b");
    put(tau, "estimate", r.kendallTau().estimate());
    put(tau, "ci95_lower", r.kendallTau().lower());
    put(tau, "ci95_upper", r.kendallTau().upper());
    tau.put("bootstrap_resamples", r.kendallTau().resamples());
    put(o, "spearman", r.spearman());
    put(o, "pearson", r.pearson());
    o.put("k", r.k());
    put(o, "precision_at_k", r.precisionAtK());
    o.put("best_true_rank_in_top_k", r.bestTrueRankInTopK());
    o.put("worst_true_rank_in_top_k", r.worstTrueRankInTopK());
    return o;
  }

  /** Puts {@code v}, or null when it is not finite (JSON has no NaN). */
  public static void put(ObjectNode o, String name, double v) {
    if (Double.isFinite(v)) {
      o.put(name, v);
    } else {
      o.putNull(name);
    }
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
