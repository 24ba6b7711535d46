package org.rdnas.train;

import java.util.List;
import java.util.Objects;
import java.util.function.LongFunction;

/**
 * The archs every evaluation of a run measures, with what their accuracy is compared to.
 *
 * @param archs the eval archs' ids in their space
 * @param truth ground truth per arch (NaN where unknown), or null without ground truth
 * @param teacher the teacher's score per arch (null where it has none), or null without a teacher
 * @param everyEpochs epochs between evaluations; 0 evaluates only at the end
 */
public record EvalArchs(List<Long> archs, double[] truth, Double[] teacher, int everyEpochs) {
  public EvalArchs {
    archs = List.copyOf(archs);
    if (truth != null && truth.length != archs.size()
        || teacher != null && teacher.length != archs.size()) {
      throw new IllegalArgumentException("truth and teacher need one value per eval arch");
    }
    if (everyEpochs < 0) {
      throw new IllegalArgumentException("everyEpochs must be >= 0, got " + everyEpochs);
    }
  }

  /** The eval arch ids in order. */
  public long[] ids() {
    return archs.stream().mapToLong(Long::longValue).toArray();
  }

  /** Versions (steps done) after which {@code planner}'s run is evaluated: every E epochs, the end. */
  public List<Long> points(StepPlanner planner) {
    Objects.requireNonNull(planner, "planner");
    java.util.ArrayList<Long> points = new java.util.ArrayList<>();
    long total = planner.totalSteps();
    if (everyEpochs > 0) {
      long every = (long) everyEpochs * planner.stepsPerEpoch();
      for (long v = every; v < total; v += every) {
        points.add(v);
      }
    }
    points.add(total);
    return List.copyOf(points);
  }

  /**
   * The rows of evaluation round {@code round} at {@code version}, from the archs' accuracies, with
   * the archs' codes written by {@code code}.
   */
  List<EvalRow> rows(int round, long version, int epoch, List<SubnetEvaluator.Result> results,
      LongFunction<String> code) {
    List<EvalRow> rows = new java.util.ArrayList<>();
    for (int i = 0; i < archs.size(); i++) {
      Double t = truth == null || Double.isNaN(truth[i]) ? null : truth[i];
      long id = archs.get(i);
      rows.add(new EvalRow(round, version, epoch, id, code.apply(id),
          results.get(i).accuracy(), results.get(i).loss(), t,
          teacher == null ? null : teacher[i]));
    }
    return rows;
  }
}
