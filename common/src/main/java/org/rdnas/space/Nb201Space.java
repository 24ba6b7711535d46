package org.rdnas.space;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import java.util.stream.Stream;

/**
 * The NAS-Bench-201 cell search space over a subset of its five ops: all five (15,625 archs) or the
 * four without {@code none} (4,096 archs) that the RD-NAS authors trained. Enumeration is by an index
 * 0..size-1 (mixed radix over the allowed ops) and streams, so no more than one arch is built at a time.
 */
public final class Nb201Space {
  private final String name;
  private final Op[] ops;
  private final int[] digitOf = new int[Op.values().length];

  private Nb201Space(String name, Op[] ops) {
    this.name = name;
    this.ops = ops;
    Arrays.fill(digitOf, -1);
    for (int i = 0; i < ops.length; i++) {
      digitOf[ops[i].code()] = i;
    }
  }

  /** All five ops: 15,625 archs. */
  public static Nb201Space full() {
    return of("nb201", EnumSet.allOf(Op.class));
  }

  /** The four ops without {@code none}: 4,096 archs. */
  public static Nb201Space withoutNone() {
    return of("nb201-no-none", EnumSet.complementOf(EnumSet.of(Op.NONE)));
  }

  /** The space over {@code ops} (kept in the benchmark's op order whatever the input order). */
  public static Nb201Space of(String name, Set<Op> ops) {
    if (ops.isEmpty()) {
      throw new IllegalArgumentException("search space '" + name + "' needs at least one op");
    }
    return new Nb201Space(name, EnumSet.copyOf(ops).toArray(new Op[0]));
  }

  /** The named standard space: {@code nb201} or {@code nb201-no-none}. */
  public static Nb201Space named(String name) {
    return switch (name) {
      case "nb201" -> full();
      case "nb201-no-none" -> withoutNone();
      default -> throw new IllegalArgumentException(
          "unknown search space '" + name + "'; valid: nb201, nb201-no-none");
    };
  }

  public String name() {
    return name;
  }

  public List<Op> ops() {
    return List.of(ops);
  }

  /** Number of archs: ops^6. */
  public int size() {
    int n = 1;
    for (int e = 0; e < Arch.EDGES; e++) {
      n *= ops.length;
    }
    return n;
  }

  public boolean contains(Arch a) {
    for (int e = 0; e < Arch.EDGES; e++) {
      if (digitOf[a.op(e).code()] < 0) {
        return false;
      }
    }
    return true;
  }

  /** The arch at enumeration index {@code index} (0..size-1). */
  public Arch archAt(long index) {
    if (index < 0 || index >= size()) {
      throw new IllegalArgumentException(
          "index " + index + " is not in 0.." + (size() - 1) + " of space " + name);
    }
    Op[] chosen = new Op[Arch.EDGES];
    long v = index;
    for (int e = Arch.EDGES - 1; e >= 0; e--) {
      chosen[e] = ops[(int) (v % ops.length)];
      v /= ops.length;
    }
    return Arch.of(chosen);
  }

  /** Enumeration index of {@code a}; the inverse of {@link #archAt}. */
  public long indexOf(Arch a) {
    long v = 0;
    for (int e = 0; e < Arch.EDGES; e++) {
      int d = digitOf[a.op(e).code()];
      if (d < 0) {
        throw new IllegalArgumentException(
            "arch " + a + " uses op " + a.op(e) + ", which is not in space " + name);
      }
      v = v * ops.length + d;
    }
    return v;
  }

  /** Every arch, lazily, in enumeration order. */
  public Stream<Arch> stream() {
    return LongStream.range(0, size()).mapToObj(this::archAt);
  }

  /**
   * {@code n} distinct archs drawn uniformly without replacement, in draw order; the same seed gives
   * the same list on every machine.
   */
  public List<Arch> sample(int n, long seed) {
    int size = size();
    if (n < 0 || n > size) {
      throw new IllegalArgumentException(
          "sample size " + n + " is not in 0.." + size + " for space " + name);
    }
    // Floyd's algorithm: n draws, no array of the whole space.
    SplittableRandom rng = new SplittableRandom(seed);
    Set<Long> seen = new HashSet<>(n * 2);
    List<Arch> out = new ArrayList<>(n);
    for (long j = size - n; j < size; j++) {
      long t = rng.nextLong(j + 1);
      long pick = seen.add(t) ? t : j;
      if (pick == j) {
        seen.add(j);
      }
      out.add(archAt(pick));
    }
    return out;
  }

  /** One arch drawn uniformly with {@code rng}. */
  public Arch sampleOne(SplittableRandom rng) {
    return archAt(rng.nextInt(size()));
  }

  /**
   * The canonical form of {@code a}: every op on an edge that cannot carry signal from the cell input
   * to its output (its source unreachable from node 0, or its target unable to reach node 3) becomes
   * {@code none}. Nets with no input-output path at all become the all-{@code none} net. Two archs with
   * the same canonical form compute the same function.
   */
  public static Arch canonical(Arch a) {
    boolean[] reach = new boolean[4];
    reach[0] = true;
    for (int e = 0; e < Arch.EDGES; e++) {
      // Edges are in topological order of their targets, so one forward pass suffices.
      if (a.op(e) != Op.NONE && reach[Arch.FROM[e]]) {
        reach[Arch.TO[e]] = true;
      }
    }
    boolean[] coreach = new boolean[4];
    coreach[3] = true;
    for (int e = Arch.EDGES - 1; e >= 0; e--) {
      if (a.op(e) != Op.NONE && coreach[Arch.TO[e]]) {
        coreach[Arch.FROM[e]] = true;
      }
    }
    Op[] out = new Op[Arch.EDGES];
    for (int e = 0; e < Arch.EDGES; e++) {
      // A non-none edge with a reachable source and a co-reachable target lies on an input-output path.
      boolean live = reach[Arch.FROM[e]] && coreach[Arch.TO[e]];
      out[e] = live ? a.op(e) : Op.NONE;
    }
    return Arch.of(out);
  }

  /** True when no path of non-{@code none} ops joins the cell input to its output. */
  public static boolean isDisconnected(Arch a) {
    return canonical(a).count(Op.NONE) == Arch.EDGES;
  }

  /**
   * Group distance of the RD-NAS authors' code: per edge 0 for the same op, 0.5 for different ops of
   * one group, 2 for ops of different groups; summed over the six edges (0..12).
   */
  public static double groupDistance(Arch a, Arch b) {
    double d = 0;
    for (int e = 0; e < Arch.EDGES; e++) {
      Op x = a.op(e);
      Op y = b.op(e);
      if (x != y) {
        d += x.group() == y.group() ? 0.5 : 2.0;
      }
    }
    return d;
  }

  @Override
  public String toString() {
    return name + Arrays.toString(ops);
  }
}
