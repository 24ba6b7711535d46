package org.rdnas.nn;

import java.util.Arrays;

/**
 * One parameter tensor of the network: its reference name (zero-cost-nas' module path, e.g.
 * {@code stack_cell1.0.options.12.op.1.weight}), shape, role, fan-in, and the cell edge and op it belongs
 * to ({@code edge = -1} for the fixed stem, reduction and head parameters).
 */
public record ParamSpec(String name, long[] shape, Role role, int fanIn, int edge, int opCode) {

  /** What a parameter is; decides its initialisation and which proxies count it. */
  public enum Role {
    CONV_WEIGHT, CONV_BIAS, BN_WEIGHT, BN_BIAS, LINEAR_WEIGHT, LINEAR_BIAS;

    /** Conv and linear weights: the layers zero-cost proxies sum over. */
    public boolean isLayerWeight() {
      return this == CONV_WEIGHT || this == LINEAR_WEIGHT;
    }
  }

  public ParamSpec {
    shape = shape.clone();
  }

  @Override
  public long[] shape() {
    return shape.clone();
  }

  public long size() {
    long n = 1;
    for (long d : shape) {
      n *= d;
    }
    return n;
  }

  /** The layer this parameter belongs to: the name without its last component. */
  public String layer() {
    return name.substring(0, name.lastIndexOf('.'));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ParamSpec p && p.name.equals(name) && Arrays.equals(p.shape, shape)
        && p.role == role && p.fanIn == fanIn && p.edge == edge && p.opCode == opCode;
  }

  @Override
  public int hashCode() {
    return name.hashCode() * 31 + Arrays.hashCode(shape);
  }

  @Override
  public String toString() {
    return name + Arrays.toString(shape);
  }
}
