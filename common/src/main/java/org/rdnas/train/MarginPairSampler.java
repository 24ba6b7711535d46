package org.rdnas.train;

import java.util.Arrays;
import java.util.Objects;
import org.rdnas.io.InputException;
import java.util.SplittableRandom;
import org.rdnas.space.Arch;
import org.rdnas.space.Nb201Space;
import org.rdnas.space.Op;
import org.rdnas.util.Seeds;

/**
 * RD-NAS's margin subnet sampler over the teacher's eligible rows: a is drawn uniformly, b uniformly
 * among the rows with GroupDistance(a, b) >= threshold. Stateless: the pair of step s depends on
 * (seed, s) alone, so a resumed or recomputed step draws the same pair.
 *
 * <p>It always terminates. At construction it finds, exactly and cheaply, which rows have at least one
 * partner (the largest group distance from every arch to the table, by a max-plus pass per edge over
 * the 5^6 arch ids) and fails when none has; a is then drawn among rows with a partner only. b is found
 * by rejection (the authors' redraw loop) for at most {@link #REJECTION_TRIES} draws, then by a uniform
 * choice among a's partners: both give the uniform law over the partners, so the fallback changes no
 * distribution, only the cost.
 */
public final class MarginPairSampler {
  /** Redraws of b before listing a's partners. */
  public static final int REJECTION_TRIES = 64;
  private static final long TAG = Seeds.hash("rdnas.train.margin-pair");

  private final Teacher teacher;
  private final double threshold;
  private final long seed;
  private final int[] eligible;
  /** Eligible rows with at least one partner; a is drawn from these. */
  private final int[] anchors;

  /**
   * A pair of a step: row and arch of a and b, their group distance and the teacher's preference.
   */
  public record Pair(int rowA, int rowB, Arch a, Arch b, double groupDistance, Preference preferred) {}

  private MarginPairSampler(Teacher teacher, double threshold, long seed, int[] eligible, int[] anchors) {
    this.teacher = teacher;
    this.threshold = threshold;
    this.seed = seed;
    this.eligible = eligible;
    this.anchors = anchors;
  }

  /**
   * A sampler over {@code teacher}'s eligible rows with the group-distance {@code threshold}
   * (0..12), drawing from {@code seed}.
   *
   * @throws InputException when no two eligible rows are at least {@code threshold} apart
   *     (too few rows, or rows too alike), saying how far apart the farthest pair is
   */
  public static MarginPairSampler create(Teacher teacher, double threshold, long seed) {
    Objects.requireNonNull(teacher, "teacher");
    if (!(threshold >= 0 && threshold <= 12)) {
      throw new IllegalArgumentException(
          "group-distance threshold must be in [0, 12], got " + threshold);
    }
    int[] eligible = teacher.eligibleRows();
    if (eligible.length < 2) {
      throw new InputException("the margin sampler needs at least 2 eligible rows (ok, "
          + "with a value in teacher column(s) " + teacher.columns() + "); the ranking table has "
          + eligible.length + " of " + teacher.table().size());
    }
    RankingTable table = teacher.table();
    double[] farthest = farthestDistance(table, eligible);
    int[] anchors = Arrays.stream(eligible)
        .filter(r -> threshold == 0 || farthest[table.arch(r).id()] >= threshold)
        .toArray();
    if (anchors.length == 0) {
      double max = Arrays.stream(eligible).mapToDouble(r -> farthest[table.arch(r).id()]).max()
          .orElse(0);
      throw new InputException("no pair of the " + eligible.length + " eligible rows of "
          + "the ranking table has a group distance >= " + threshold + " (the largest is " + max
          + "); lower rdnas.distill.threshold or score more varied archs");
    }
    return new MarginPairSampler(teacher, threshold, seed, eligible, anchors);
  }

  /** The pair of step {@code step}. */
  public Pair sample(long step) {
    SplittableRandom rng = new SplittableRandom(Seeds.mix(seed, step, TAG));
    RankingTable table = teacher.table();
    int a = anchors[rng.nextInt(anchors.length)];
    Arch archA = table.arch(a);
    int b = -1;
    for (int t = 0; t < REJECTION_TRIES && b < 0; t++) {
      int c = eligible[rng.nextInt(eligible.length)];
      if (c != a && Nb201Space.groupDistance(archA, table.arch(c)) >= threshold) {
        b = c;
      }
    }
    if (b < 0) {
      int[] partners = Arrays.stream(eligible)
          .filter(c -> c != a && Nb201Space.groupDistance(archA, table.arch(c)) >= threshold)
          .toArray();
      b = partners[rng.nextInt(partners.length)];
    }
    Arch archB = table.arch(b);
    return new Pair(a, b, archA, archB, Nb201Space.groupDistance(archA, archB),
        teacher.prefers(a, b));
  }

  public Teacher teacher() {
    return teacher;
  }

  public double threshold() {
    return threshold;
  }

  public long seed() {
    return seed;
  }

  /** Eligible rows that have at least one partner, i.e. that a can be. */
  public int anchorCount() {
    return anchors.length;
  }

  /**
   * For every arch id x, the largest GroupDistance(x, r) over the rows r: the distance is a sum of
   * per-edge terms, so a max-plus transform one edge at a time (6 x 5^6 x 5 steps) replaces the
   * all-pairs scan.
   */
  static double[] farthestDistance(RankingTable table, int[] rows) {
    int ops = Op.values().length;
    double[][] edgeDistance = new double[ops][ops];
    for (Op x : Op.values()) {
      Arch allX = Arch.of(x, x, x, x, x, x);
      for (Op y : Op.values()) {
        // One edge changed: the per-edge term, taken from the one definition of the distance.
        edgeDistance[x.code()][y.code()] = Nb201Space.groupDistance(allX, allX.with(0, y));
      }
    }
    double[] g = new double[Arch.ID_COUNT];
    Arrays.fill(g, Double.NEGATIVE_INFINITY);
    for (int r : rows) {
      g[table.arch(r).id()] = 0;
    }
    int stride = Arch.ID_COUNT;
    for (int e = 0; e < Arch.EDGES; e++) {
      stride /= ops;
      double[] h = new double[Arch.ID_COUNT];
      for (int id = 0; id < Arch.ID_COUNT; id++) {
        int digit = id / stride % ops;
        int base = id - digit * stride;
        double best = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < ops; c++) {
          best = Math.max(best, g[base + c * stride] + edgeDistance[digit][c]);
        }
        h[id] = best;
      }
      g = h;
    }
    return g;
  }

  @Override
  public String toString() {
    return "MarginPairSampler[threshold=" + threshold + ", " + anchors.length + " of "
        + eligible.length + " rows have a partner, " + teacher + "]";
  }
}
