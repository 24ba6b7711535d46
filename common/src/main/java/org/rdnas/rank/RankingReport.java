package org.rdnas.rank;

/**
 * How well one ranking (e.g. supernet accuracies of the eval archs) agrees with another (their
 * ground-truth accuracies): Kendall tau-b with a bootstrap interval, Spearman, Pearson, precision at
 * top-k and the best and worst true rank among the predicted top k. Computed on the pairs where
 * neither value is NaN.
 *
 * @param n complete pairs
 * @param kendallTau Kendall tau-b with its percentile bootstrap interval
 * @param spearman Spearman's rho
 * @param pearson Pearson's r
 * @param k k of the top-k metrics
 * @param precisionAtK fraction of the predicted top k that are in the true top k
 * @param bestTrueRankInTopK best true rank (1 = best) among the predicted top k
 * @param worstTrueRankInTopK worst true rank among the predicted top k
 */
public record RankingReport(int n, Bootstrap.Interval kendallTau, double spearman, double pearson,
    int k, double precisionAtK, int bestTrueRankInTopK, int worstTrueRankInTopK) {

  /**
   * The report of {@code predicted} against {@code truth} (higher is better in both), k clipped to
   * the number of complete pairs, {@code resamples} bootstrap resamples drawn from {@code seed}.
   */
  public static RankingReport of(double[] predicted, double[] truth, int k, int resamples, long seed) {
    int n = Correlation.complete(predicted, truth)[0].length;
    if (n < 2) {
      throw new IllegalArgumentException(
          "a ranking report needs at least 2 complete pairs, got " + n);
    }
    if (k < 1) {
      throw new IllegalArgumentException("top-k must be >= 1, got " + k);
    }
    int kk = Math.min(k, n);
    int[] range = TopK.trueRankRangeOfTopK(predicted, truth, kk);
    return new RankingReport(n, Bootstrap.kendallTauB(predicted, truth, resamples, seed),
        Correlation.spearman(predicted, truth), Correlation.pearson(predicted, truth), kk,
        TopK.precisionAtK(predicted, truth, kk), range[0], range[1]);
  }
}
