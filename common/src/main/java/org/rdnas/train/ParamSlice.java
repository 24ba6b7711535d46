package org.rdnas.train;

import java.util.List;
import org.rdnas.nn.Supernet;
import org.rdnas.nn.ParamSpec;

/**
 * The parameters that a step's subnets use, as a slice of the supernet's flat weight vector: all a
 * worker needs of the weights for the step, and all it can return a gradient for (every other
 * gradient is zero). Shipping the slice instead of the whole vector is what keeps a step's
 * coordination small: a pair of NB201 subnets uses under half of the supernet's parameters (46% on
 * average without none ops at C = 16, N = 5), one subnet about a quarter.
 * Immutable; the order is the network's, so equal plans give equal slices on every JVM.
 */
public final class ParamSlice {
  private final List<ParamSpec> specs;
  private final int[] offsets;
  private final int size;
  private final int fullSize;

  ParamSlice(List<ParamSpec> specs, int[] offsets, int fullSize) {
    this.specs = List.copyOf(specs);
    this.offsets = offsets;
    this.size = Math.toIntExact(specs.stream().mapToLong(ParamSpec::size).sum());
    this.fullSize = fullSize;
  }

  /** The slice of {@code network}'s parameters that {@code plan}'s subnet or pair uses. */
  public static ParamSlice of(Supernet network, StepPlan plan) {
    return new ParamLayout(network).slice(plan);
  }

  /** The parameters of the slice, in network order. */
  List<ParamSpec> specs() {
    return specs;
  }

  /** Values in the slice. */
  public int size() {
    return size;
  }

  /** Values in the whole flat vector. */
  public int fullSize() {
    return fullSize;
  }

  /** The slice's values cut out of the whole flat vector {@code full}, concatenated. */
  public float[] gather(float[] full) {
    if (full.length != fullSize) {
      throw new IllegalArgumentException("flat weights have " + full.length
          + " values, the supernet has " + fullSize + " parameters");
    }
    float[] out = new float[size];
    int k = 0;
    for (int i = 0; i < offsets.length; i++) {
      int n = (int) specs.get(i).size();
      System.arraycopy(full, offsets[i], out, k, n);
      k += n;
    }
    return out;
  }

  /** The whole flat vector with {@code values} in the slice's places and zeros elsewhere. */
  public float[] scatter(float[] values) {
    check(values, "values");
    float[] full = new float[fullSize];
    int k = 0;
    for (int i = 0; i < offsets.length; i++) {
      int n = (int) specs.get(i).size();
      System.arraycopy(values, k, full, offsets[i], n);
      k += n;
    }
    return full;
  }

  /** {@code sum}, a gradient sum over this slice, as one over the whole supernet. */
  public GradientSum scatter(GradientSum sum) {
    return GradientSum.of(scatter(sum.gradient()), sum.count(), sum.ceASum(), sum.ceBSum(),
        sum.rankSum(), sum.lossSum());
  }

  /** Throws unless {@code values} (named {@code what} in the error) has the slice's length. */
  void check(float[] values, String what) {
    if (values.length != size) {
      throw new IllegalArgumentException(what + " have " + values.length + " values, the slice of "
          + specs.size() + " parameters has " + size);
    }
  }

  /** Equal: the same parameters of a supernet of the same size. */
  @Override
  public boolean equals(Object o) {
    return o instanceof ParamSlice s && s.fullSize == fullSize && s.specs.equals(specs);
  }

  @Override
  public int hashCode() {
    return specs.hashCode() * 31 + fullSize;
  }

  @Override
  public String toString() {
    return "ParamSlice[" + specs.size() + " parameters, " + size + " of " + fullSize + " values]";
  }
}
