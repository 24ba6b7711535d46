package org.rdnas.space;

import java.util.Arrays;

/**
 * One NAS-Bench-201 cell: an op on each of the six edges, in arch-string order
 * (0→1 | 0→2, 1→2 | 0→3, 1→3, 2→3). Immutable; identified by {@link #id()}, the base-5 number whose
 * digits are the edges' op codes, edge 0 most significant, so ids are stable across search-space
 * variants (the no-{@code none} space uses a subset of them).
 */
public final class Arch implements Comparable<Arch> {
  /** Number of edges in a cell. */
  public static final int EDGES = 6;
  /** Number of distinct arch ids (5^6). */
  public static final int ID_COUNT = 15_625;
  /** Source node of each edge, in arch-string order. */
  static final int[] FROM = {0, 0, 1, 0, 1, 2};
  /** Target node of each edge, in arch-string order. */
  static final int[] TO = {1, 2, 2, 3, 3, 3};

  private final byte[] codes;
  private final int id;

  private Arch(byte[] codes) {
    this.codes = codes;
    int v = 0;
    for (byte c : codes) {
      v = v * 5 + c;
    }
    this.id = v;
  }

  /** The arch with these six ops, in arch-string edge order. */
  public static Arch of(Op... ops) {
    if (ops.length != EDGES) {
      throw new IllegalArgumentException("an arch has " + EDGES + " edges, got " + ops.length);
    }
    byte[] c = new byte[EDGES];
    for (int e = 0; e < EDGES; e++) {
      c[e] = (byte) ops[e].code();
    }
    return new Arch(c);
  }

  /** The arch with this id (0..15,624). */
  public static Arch fromId(long id) {
    if (id < 0 || id >= ID_COUNT) {
      throw new IllegalArgumentException("arch id " + id + " is not in 0.." + (ID_COUNT - 1));
    }
    byte[] c = new byte[EDGES];
    long v = id;
    for (int e = EDGES - 1; e >= 0; e--) {
      c[e] = (byte) (v % 5);
      v /= 5;
    }
    return new Arch(c);
  }

  /**
   * Parses the standard string {@code |op~0|+|op~0|op~1|+|op~0|op~1|op~2|}.
   *
   * @throws IllegalArgumentException naming the string and what is wrong with it
   */
  public static Arch parse(String s) {
    if (s == null) {
      throw new IllegalArgumentException("arch string is null");
    }
    String str = s.strip();
    String[] nodes = str.split("\\+", -1);
    if (nodes.length != 3) {
      throw bad(s, "expected 3 node groups separated by '+', found " + nodes.length);
    }
    Op[] ops = new Op[EDGES];
    int e = 0;
    for (int node = 1; node <= 3; node++) {
      String group = nodes[node - 1];
      if (group.length() < 2 || group.charAt(0) != '|' || group.charAt(group.length() - 1) != '|') {
        throw bad(s, "node " + node + " group '" + group + "' must start and end with '|'");
      }
      String[] toks = group.substring(1, group.length() - 1).split("\\|", -1);
      if (toks.length != node) {
        throw bad(s, "node " + node + " must have " + node + " incoming edge(s), found " + toks.length);
      }
      for (int src = 0; src < node; src++) {
        String tok = toks[src];
        int tilde = tok.indexOf('~');
        if (tilde < 0) {
          throw bad(s, "edge '" + tok + "' is not of the form op~source");
        }
        String from = tok.substring(tilde + 1);
        if (!from.equals(Integer.toString(src))) {
          throw bad(s, "edge '" + tok + "' into node " + node + " must come from node " + src);
        }
        try {
          ops[e++] = Op.ofLabel(tok.substring(0, tilde));
        } catch (IllegalArgumentException ex) {
          throw bad(s, ex.getMessage());
        }
      }
    }
    return of(ops);
  }

  private static IllegalArgumentException bad(String s, String why) {
    return new IllegalArgumentException("malformed arch string '" + s + "': " + why);
  }

  public int id() {
    return id;
  }

  /** Op on edge {@code e} (0..5, arch-string order). */
  public Op op(int e) {
    return Op.ofCode(codes[e]);
  }

  /** Source node of edge {@code e}. */
  public static int from(int e) {
    return FROM[e];
  }

  /** Target node of edge {@code e}. */
  public static int to(int e) {
    return TO[e];
  }

  /**
   * Whether the output of edge {@code e}'s op flows into the cell's output (node 3): its target is
   * node 3, or a non-{@code none} edge leads on from its target to a node that does. An op whose
   * output does not is computed and discarded, so backward passes never reach its weights.
   */
  public boolean reachesOutput(int e) {
    return nodeReachesOutput(TO[e]);
  }

  /** Whether the cell's input (node 0) reaches its output through non-{@code none} edges. */
  public boolean connected() {
    return nodeReachesOutput(0);
  }

  private boolean nodeReachesOutput(int node) {
    if (node == 3) {
      return true;
    }
    for (int e = 0; e < EDGES; e++) {
      if (FROM[e] == node && codes[e] != Op.NONE.code() && nodeReachesOutput(TO[e])) {
        return true;
      }
    }
    return false;
  }

  /** This arch with edge {@code e} set to {@code op}. */
  public Arch with(int e, Op op) {
    byte[] c = codes.clone();
    c[e] = (byte) op.code();
    return new Arch(c);
  }

  /** Number of edges whose op is {@code op}. */
  public int count(Op op) {
    int n = 0;
    for (byte c : codes) {
      if (c == op.code()) {
        n++;
      }
    }
    return n;
  }

  @Override
  public int compareTo(Arch o) {
    return Integer.compare(id, o.id);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Arch a && a.id == id;
  }

  @Override
  public int hashCode() {
    return id;
  }

  /** The standard arch string. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder();
    int e = 0;
    for (int node = 1; node <= 3; node++) {
      if (node > 1) {
        sb.append('+');
      }
      sb.append('|');
      for (int src = 0; src < node; src++) {
        sb.append(op(e++).label()).append('~').append(src).append('|');
      }
    }
    return sb.toString();
  }

  byte[] codes() {
    return Arrays.copyOf(codes, EDGES);
  }
}
