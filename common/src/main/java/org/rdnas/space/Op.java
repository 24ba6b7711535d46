package org.rdnas.space;

import java.util.Arrays;

/**
 * A candidate operation on a NAS-Bench-201 cell edge, in the benchmark's own list order
 * (none, skip_connect, nor_conv_1x1, nor_conv_3x3, avg_pool_3x3); {@link #code()} is that position.
 */
public enum Op {
  NONE("none", Group.NONE),
  SKIP_CONNECT("skip_connect", Group.PARAMETER_FREE),
  NOR_CONV_1X1("nor_conv_1x1", Group.CONV),
  NOR_CONV_3X3("nor_conv_3x3", Group.CONV),
  AVG_POOL_3X3("avg_pool_3x3", Group.PARAMETER_FREE);

  /** Op groups of the RD-NAS authors' group distance; {@code none} is its own group. */
  public enum Group { NONE, CONV, PARAMETER_FREE }

  private static final Op[] VALUES = values();
  private final String label;
  private final Group group;

  Op(String label, Group group) {
    this.label = label;
    this.group = group;
  }

  /** The name used in arch strings, e.g. {@code nor_conv_3x3}. */
  public String label() {
    return label;
  }

  public Group group() {
    return group;
  }

  /** Position in NAS-Bench-201's op list; the digit of this op in an arch id. */
  public int code() {
    return ordinal();
  }

  /** Kernel size of a convolution op, 0 for the others. */
  public int kernel() {
    return switch (this) {
      case NOR_CONV_1X1 -> 1;
      case NOR_CONV_3X3 -> 3;
      default -> 0;
    };
  }

  public boolean isConv() {
    return group == Group.CONV;
  }

  public static Op ofCode(int code) {
    if (code < 0 || code >= VALUES.length) {
      throw new IllegalArgumentException("op code " + code + " is not in 0.." + (VALUES.length - 1));
    }
    return VALUES[code];
  }

  /** Parses an op name as written in arch strings and configuration. */
  public static Op ofLabel(String label) {
    for (Op op : VALUES) {
      if (op.label.equals(label)) {
        return op;
      }
    }
    throw new IllegalArgumentException(
        "unknown op '" + label + "'; valid ops: " + Arrays.stream(VALUES).map(Op::label).toList());
  }

  @Override
  public String toString() {
    return label;
  }
}
