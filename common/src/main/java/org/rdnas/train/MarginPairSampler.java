package org.rdnas.train;

import java.util.Arrays;
import java.util.Objects;
import org.rdnas.io.InputException;
import java.util.SplittableRandom;
import org.rdnas.space.Arch;
import org.rdnas.space.Nb201SearchSpace;
import org.rdnas.space.Nb201Space;
import org.rdnas.space.SearchSpace;
import org.rdnas.space.Op;
import org.rdnas.util.Seeds;

/**
 * RD-NAS's margin subnet sampler over the teacher's eligible rows: a is drawn uniformly among the rows
 * that have a partner, b uniformly among the rows with distance(a, b) >= threshold, in the space's
 * distance ({@link SearchSpace#distance}: NAS-Bench-201's group distance, ResNet48's Hamming
 * distance). Stateless: the pair of step s depends on (seed, s) alone, so a resumed or recomputed
 * step draws the same pair.
 *
 * <p>It always terminates. On NAS-Bench-201 it finds at construction, exactly and cheaply, which rows
 * have at least one partner (the largest group distance from every arch to the table, by a max-plus
 * pass per edge over the 5^6 arch ids); in another space, where an all-pairs scan of a large table
 * would be too slow, a drawn a without a partner (found by one scan) is redrawn, which gives the same
 * uniform law over the rows with a partner. Both fail at construction when no row has one. b is
 * found by rejection (the authors' redraw loop) for at most {@link #REJECTION_TRIES} draws, then by a
 * uniform choice among a's partners: both give the uniform law over the partners, so the fallback
 * changes no distribution, only the cost.
 */
public final class MarginPairSampler {
  /** Redraws of b before listing a's partners. */
  public static final int REJECTION_TRIES = 64;
  private static final long TAG = Seeds.hash("rdnas.train.margin-pair");

  private final Teacher teacher;
  private final SearchSpace space;
  private final double threshold;
  private final long seed;
  private final int[] eligible;
  /**
   * Eligible rows with at least one partner, which a is drawn from; null where that is found per
   * draw (spaces other than NAS-Bench-201).
   */
  private final int[] anchors;

  /**
   * A pair of a step: row and arch id of a and b, their distance and the teacher's preference.
   */
  public record Pair(int rowA, int rowB, long a, long b, double distance, Preference preferred) {}

  private MarginPairSampler(Teacher teacher, SearchSpace space, double threshold, long seed,
      int[] eligible, int[] anchors) {
    this.teacher = teacher;
    this.space = space;
    this.threshold = threshold;
    this.seed = seed;
    this.eligible = eligible;
    this.anchors = anchors;
  }

  /**
   * A sampler over {@code teacher}'s eligible rows, archs of {@code space}, pairs at least
   * {@code threshold} apart, drawing from {@code seed}.
   *
   * @throws InputException when no two eligible rows are at least {@code threshold} apart
   *     (too few rows, or rows too alike), saying how far apart the farthest pair is
   */
  public static MarginPairSampler create(Teacher teacher, SearchSpace space, double threshold,
      long seed) {
    Objects.requireNonNull(teacher, "teacher");
    Objects.requireNonNull(space, "space");
    if (!(threshold >= 0)) {
      throw new IllegalArgumentException("distance threshold must be >= 0, got " + threshold);
    }
    int[] eligible = teacher.eligibleRows();
    if (eligible.length < 2) {
      throw new InputException("the margin sampler needs at least 2 eligible rows (ok, "
          + "with a value in teacher column(s) " + teacher.columns() + "); the ranking table has "
          + eligible.length + " of " + teacher.table().size());
    }
    RankingTable table = teacher.table();
    int[] anchors = null;
    double max;
    if (space instanceof Nb201SearchSpace) {
      double[] farthest = farthestDistance(table, eligible);
      anchors = Arrays.stream(eligible)
          .filter(r -> threshold == 0 || farthest[(int) table.archId(r)] >= threshold)
          .toArray();
      max = Arrays.stream(eligible).mapToDouble(r -> farthest[(int) table.archId(r)]).max()
          .orElse(0);
    } else {
      max = 0;
      for (int i = 0; i < eligible.length && max < threshold; i++) {
        max = Math.max(max, farthest(space, table, eligible, eligible[i]));
      }
    }
    if (max < threshold || anchors != null && anchors.length == 0) {
      throw new InputException("no pair of the " + eligible.length + " eligible rows of "
          + "the ranking table is at a " + space.name() + " distance >= " + threshold
          + " (the largest is " + max + "); lower rdnas.distill.threshold or score more varied "
          + "archs");
    }
    return new MarginPairSampler(teacher, space, threshold, seed, eligible, anchors);
  }

  /** The largest distance from row {@code a}'s arch to the {@code rows}. */
  private static double farthest(SearchSpace space, RankingTable table, int[] rows, int a) {
    double max = 0;
    for (int c : rows) {
      max = Math.max(max, space.distance(table.archId(a), table.archId(c)));
    }
    return max;
  }

  /** Whether some eligible row is at least the threshold from row {@code a}; stops at the first. */
  private boolean hasPartner(RankingTable table, int a) {
    for (int c : eligible) {
      if (c != a && space.distance(table.archId(a), table.archId(c)) >= threshold) {
        return true;
      }
    }
    return false;
  }

  /** The pair of step {@code step}. */
  public Pair sample(long step) {
    SplittableRandom rng = new SplittableRandom(Seeds.mix(seed, step, TAG));
    RankingTable table = teacher.table();
    int a;
    if (anchors != null) {
      a = anchors[rng.nextInt(anchors.length)];
    } else {
      do {
        a = eligible[rng.nextInt(eligible.length)];
      } while (!hasPartner(table, a));
    }
    long archA = table.archId(a);
    int b = -1;
    for (int t = 0; t < REJECTION_TRIES && b < 0; t++) {
      int c = eligible[rng.nextInt(eligible.length)];
      if (c != a && space.distance(archA, table.archId(c)) >= threshold) {
        b = c;
      }
    }
    if (b < 0) {
      int rowA = a;
      int[] partners = Arrays.stream(eligible)
          .filter(c -> c != rowA && space.distance(archA, table.archId(c)) >= threshold)
          .toArray();
      b = partners[rng.nextInt(partners.length)];
    }
    long archB = table.archId(b);
    return new Pair(a, b, archA, archB, space.distance(archA, archB), teacher.prefers(a, b));
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

  /** Eligible rows that have at least one partner, i.e. that a can be (NAS-Bench-201 only). */
  public int anchorCount() {
    if (anchors == null) {
      throw new IllegalStateException("anchors are found per draw in " + space.name());
    }
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
      g[(int) table.archId(r)] = 0;
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
    return "MarginPairSampler[" + space.name() + ", threshold=" + threshold + ", "
        + (anchors == null ? "" : anchors.length + " of ") + eligible.length
        + " rows" + (anchors == null ? "" : " have a partner") + ", " + teacher + "]";
  }
}
