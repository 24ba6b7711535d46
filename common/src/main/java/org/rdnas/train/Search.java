package org.rdnas.train;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;
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
   * @param supernetLoss mean cross-entropy on them (null where not recorded)
   * @param supernetRank its rank among the candidates by that accuracy (1 = best)
   * @param teacherScore the teacher's score, or null where it has none (or there is no teacher)
   * @param teacherRank its rank by the teacher's score (those without one rank last), or null
   *     without a teacher
   * @param combinedRank its rank by the combined rank (1 = best)
   * @param groundTruth the ground truth's accuracy, or null where unknown
   * @param trueRank its rank among every arch of the space by the ground truth (1 = best), or null
   * @param truePercentile the share of the space's archs it is at least as good as, in percent
   */
  public record Row(long archId, String arch, double supernetAccuracy, Double supernetLoss,
      double supernetRank,
      Double teacherScore, Double teacherRank, double combinedRank, Double groundTruth,
      Integer trueRank, Double truePercentile) {}

  /**
   * NAS-Bench-201's accuracies that papers report for the architecture a method finds (CIFAR-10:
   * {@code test_acc}, the optimum 94.37%, and {@code valid_test_acc}); read beside the ground-truth
   * column where its file has them.
   */
  public static final List<String> HEADLINE_COLUMNS = List.of("test_acc", "valid_test_acc");

  /**
   * The architecture a method names as the best candidate, with what the benchmark says of it.
   *
   * @param method {@code supernet} (best supernet accuracy; the teacher's rank, then the id, break
   *     ties), {@code teacher} (best teacher score; the supernet's rank, then the id, break ties) or
   *     {@code combined} (best combined rank)
   * @param testAcc NAS-Bench-201's {@code test_acc} of the arch, or null where not known
   * @param validTestAcc its {@code valid_test_acc}, or null where not known
   */
  public record Found(String method, long archId, String arch, double supernetAccuracy,
      Double teacherScore, Double groundTruth, Integer trueRank, Double truePercentile,
      Double testAcc, Double validTestAcc) {}

  /**
   * The top-1 of each method over {@code rows} (one search's rows): the supernet's, the teacher's
   * when there is one, and the combined rank's.
   *
   * @param truth the ground-truth table for the headline accuracies, or null
   */
  public static List<Found> found(List<Row> rows, Nb201Table truth) {
    if (rows.isEmpty()) {
      return List.of();
    }
    Comparator<Row> byId = Comparator.comparingLong(Row::archId);
    Comparator<Row> teacherRank = Comparator.comparingDouble(
        r -> r.teacherRank() == null ? Double.MAX_VALUE : r.teacherRank());
    List<Found> out = new ArrayList<>();
    out.add(found("supernet", rows.stream().min(Comparator.comparingDouble(Row::supernetRank)
        .thenComparing(teacherRank).thenComparing(byId)).orElseThrow(), truth));
    if (rows.get(0).teacherRank() != null) {
      out.add(found("teacher", rows.stream().min(teacherRank
          .thenComparingDouble(Row::supernetRank).thenComparing(byId)).orElseThrow(), truth));
    }
    out.add(found("combined", rows.stream().min(Comparator.comparingDouble(Row::combinedRank)
        .thenComparing(byId)).orElseThrow(), truth));
    return out;
  }

  private static Found found(String method, Row r, Nb201Table truth) {
    Arch a = truth == null ? null : Arch.fromId(r.archId());
    return new Found(method, r.archId(), r.arch(), r.supernetAccuracy(), r.teacherScore(),
        r.groundTruth(), r.trueRank(), r.truePercentile(), headline(truth, "test_acc", a),
        headline(truth, "valid_test_acc", a));
  }

  private static Double headline(Nb201Table truth, String column, Arch a) {
    return truth == null || !truth.has(column) ? null : Json.finite(truth.value(column, a));
  }

  /**
   * Ranks {@code candidates} (distinct) by their supernet accuracy ({@code results}, one per
   * candidate; the loss is reported, not ranked by), {@code teacher}
   * (null: none) and their combination with weight {@code supernetWeight}; rows in combined-rank
   * order.
   *
   * @param truth the ground-truth table and its column, or null without ground truth (NAS-Bench-201
   *     only)
   * @param truthSpace the NAS-Bench-201 space whose archs the true rank is among (with truth only)
   * @param code writes a candidate's code from its id
   */
  public static List<Row> rank(List<Long> candidates, List<SubnetEvaluator.Result> results,
      Teacher teacher, double supernetWeight, Nb201Table truth, String column,
      Nb201Space truthSpace, LongFunction<String> code) {
    return rank(candidates, results, teacher == null ? null : teacher.scores(candidates),
        supernetWeight, truth, column, truthSpace, code);
  }

  /**
   * As above, with the teacher's scores of the candidates given ({@code teacherScore}: null without
   * a teacher; a null entry where it has no score), as the eval rows hold them.
   */
  public static List<Row> rank(List<Long> candidates, List<SubnetEvaluator.Result> results,
      Double[] teacherScore, double supernetWeight, Nb201Table truth, String column,
      Nb201Space truthSpace, LongFunction<String> code) {
    int n = candidates.size();
    if (results.size() != n) {
      throw new IllegalArgumentException(results.size() + " results for " + n + " candidates");
    }
    double[] accuracy = results.stream().mapToDouble(SubnetEvaluator.Result::accuracy).toArray();
    double[] supernetRank = descendingRanks(accuracy);
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
    TrueRanks spaceTruth = truth == null ? null : TrueRanks.of(truth, column, truthSpace);
    List<Row> rows = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      long id = candidates.get(i);
      Double t = truth == null ? null : Json.finite(truth.value(column, Arch.fromId(id)));
      Integer trueRank = null;
      Double percentile = null;
      if (t != null) {
        trueRank = spaceTruth.rank(t);
        percentile = spaceTruth.percentile(t);
      }
      rows.add(new Row(id, code.apply(id), accuracy[i], Json.finite(results.get(i).loss()),
          supernetRank[i],
          teacherScore == null ? null : teacherScore[i],
          teacherRank == null ? null : teacherRank[i], combinedRank[i], t, trueRank,
          percentile));
    }
    rows.sort(Comparator.comparingDouble(Row::combinedRank).thenComparingLong(Row::archId));
    return rows;
  }

  /**
   * How the supernet's ranking of candidates agrees with one ranking-table column, over the
   * candidates the table scored ok with a finite value: what a space without ground truth can tell.
   *
   * @param archs candidates compared
   * @param kendallTau Kendall's tau-b of supernet accuracy and the column
   * @param spearman Spearman's rho of the same
   */
  public record Agreement(int archs, Double kendallTau, Double spearman) {}

  /**
   * The agreement of the supernet's accuracy in {@code rows} with every column of {@code table}, in
   * the table's column order; a column with fewer than 3 comparable candidates is left out.
   */
  public static Map<String, Agreement> agreement(List<Row> rows, RankingTable table) {
    Map<String, Agreement> out = new LinkedHashMap<>();
    for (String column : table.columnNames()) {
      List<double[]> pairs = new ArrayList<>();
      for (Row r : rows) {
        int row = table.rowOf(r.archId());
        if (row >= 0 && table.ok(row) && Double.isFinite(table.value(column, row))) {
          pairs.add(new double[] {r.supernetAccuracy(), table.value(column, row)});
        }
      }
      if (pairs.size() >= 3) {
        double[] x = pairs.stream().mapToDouble(p -> p[0]).toArray();
        double[] y = pairs.stream().mapToDouble(p -> p[1]).toArray();
        out.put(column, new Agreement(pairs.size(), Json.finite(Correlation.kendallTauB(x, y)),
            Json.finite(Correlation.spearman(x, y))));
      }
    }
    return out;
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
