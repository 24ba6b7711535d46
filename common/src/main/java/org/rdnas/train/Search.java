package org.rdnas.train;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.rdnas.benchmark.Nb201Table;
import org.rdnas.io.Json;
import org.rdnas.rank.Correlation;
import org.rdnas.rank.TrueRanks;
import org.rdnas.space.Arch;
import org.rdnas.space.Nb201Space;

/**
 * The answer job 2 ends with: the candidates ranked by the trained supernet's held-out accuracy,
 * by the teacher, and by their combination ({@code w} times the supernet's rank plus {@code 1 - w}
 * times the teacher's; rank 1 is the best, ties share their mean rank), with the ground truth's
 * accuracy and the architecture's true rank among all of the space's archs when it is known.
 */
public final class Search {
  private Search() {}

  /**
   * One candidate, a row of {@code <output>/search}.
   *
   * @param archId the arch's id
   * @param arch the arch string
   * @param supernetAccuracy top-1 accuracy on the held-out images with the shared weights
   * @param supernetRank its rank among the candidates by that accuracy (1 = best)
   * @param teacherScore the teacher's score, or null where it has none (or there is no teacher)
   * @param teacherRank its rank by the teacher's score (those without one rank last), or null
   *     without a teacher
   * @param combinedRank its rank by the combined rank (1 = best)
   * @param groundTruth the ground truth's accuracy, or null where unknown
   * @param trueRank its rank among every arch of the space by the ground truth (1 = best), or null
   * @param truePercentile the share of the space's archs it is at least as good as, in percent
   */
  public record Row(long archId, String arch, double supernetAccuracy, double supernetRank,
      Double teacherScore, Double teacherRank, double combinedRank, Double groundTruth,
      Integer trueRank, Double truePercentile) {}

  /**
   * Ranks {@code candidates} (distinct) by {@code accuracy} (one per candidate), {@code teacher}
   * (null: none) and their combination with weight {@code supernetWeight}; rows in combined-rank
   * order.
   *
   * @param truth the ground-truth table and its column, or null without ground truth
   * @param space the space whose archs the true rank is among
   */
  public static List<Row> rank(List<Arch> candidates, double[] accuracy, Teacher teacher,
      double supernetWeight, Nb201Table truth, String column, Nb201Space space) {
    int n = candidates.size();
    if (accuracy.length != n) {
      throw new IllegalArgumentException(accuracy.length + " accuracies for " + n + " candidates");
    }
    double[] supernetRank = descendingRanks(accuracy);
    Double[] teacherScore = teacher == null ? null : teacher.scores(candidates);
    double[] teacherRank = null;
    if (teacherScore != null) {
      double[] v = new double[n];
      for (int i = 0; i < n; i++) {
        v[i] = teacherScore[i] == null ? Double.NEGATIVE_INFINITY : teacherScore[i];
      }
      teacherRank = descendingRanks(v);
    }
    double[] combined = new double[n];
    for (int i = 0; i < n; i++) {
      // A lower combined score is better: negate it so that descending ranks give 1 to the best.
      combined[i] = -(teacherRank == null ? supernetRank[i]
          : supernetWeight * supernetRank[i] + (1 - supernetWeight) * teacherRank[i]);
    }
    double[] combinedRank = descendingRanks(combined);
    TrueRanks spaceTruth = truth == null ? null : TrueRanks.of(truth, column, space);
    List<Row> rows = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      Arch a = candidates.get(i);
      Double t = truth == null ? null : Json.finite(truth.value(column, a));
      Integer trueRank = null;
      Double percentile = null;
      if (t != null) {
        trueRank = spaceTruth.rank(t);
        percentile = spaceTruth.percentile(t);
      }
      rows.add(new Row(a.id(), a.toString(), accuracy[i], supernetRank[i],
          teacherScore == null ? null : teacherScore[i],
          teacherRank == null ? null : teacherRank[i], combinedRank[i], t, trueRank,
          percentile));
    }
    rows.sort(Comparator.comparingDouble(Row::combinedRank).thenComparingLong(Row::archId));
    return rows;
  }

  /** Average ranks with rank 1 for the largest value. */
  private static double[] descendingRanks(double[] v) {
    double[] r = Correlation.ranks(v);
    for (int i = 0; i < r.length; i++) {
      r[i] = v.length + 1 - r[i];
    }
    return r;
  }
}
