package org.rdnas.train;

import java.io.Serializable;
import java.util.Objects;

/**
 * What workers return for one step and what the driver adds up: the sum over their samples of the
 * loss gradient (float32, in {@code network.parameters()} order, zeros for unused parameters), the
 * sample count and the sample-weighted sums of CE(a), CE(b), R and the loss L the gradient is of.
 * Dividing by the global count gives
 * the step's mean whatever the number of workers. Mutable accumulator (a plain class, not a record,
 * so Spark's Kryo serializes it as it is); {@link #add} is associative up to float rounding.
 */
public final class GradientSum implements Serializable {
  private static final long serialVersionUID = 1L;

  private final float[] gradient;
  private long count;
  private double ceA;
  private double ceB;
  private double rank;
  private double loss;

  private GradientSum(float[] gradient, long count, double ceA, double ceB, double rank,
      double loss) {
    this.gradient = gradient;
    this.count = count;
    this.ceA = ceA;
    this.ceB = ceB;
    this.rank = rank;
    this.loss = loss;
  }

  /** The empty sum over {@code size} parameters. */
  public static GradientSum zero(int size) {
    return new GradientSum(new float[size], 0, 0, 0, 0, 0);
  }

  /** A sum from its parts; {@code gradient} is taken as it is, not copied. */
  public static GradientSum of(float[] gradient, long count, double ceA, double ceB, double rank,
      double loss) {
    if (count < 0) {
      throw new IllegalArgumentException("sample count must be >= 0, got " + count);
    }
    return new GradientSum(Objects.requireNonNull(gradient, "gradient"), count, ceA, ceB, rank,
        loss);
  }

  /** Adds {@code other} into this sum and returns this. */
  public GradientSum add(GradientSum other) {
    if (other.gradient.length != gradient.length) {
      throw new IllegalArgumentException("gradient sums of " + gradient.length + " and "
          + other.gradient.length + " parameters cannot be added");
    }
    for (int i = 0; i < gradient.length; i++) {
      gradient[i] += other.gradient[i];
    }
    count += other.count;
    ceA += other.ceA;
    ceB += other.ceB;
    rank += other.rank;
    loss += other.loss;
    return this;
  }

  /** The summed gradient (not a copy). */
  public float[] gradient() {
    return gradient;
  }

  /** The mean gradient: the sum divided by the sample count. */
  public float[] meanGradient() {
    if (count == 0) {
      throw new IllegalStateException("no samples: the mean gradient is undefined");
    }
    float[] out = new float[gradient.length];
    // Divide in double: the same rounding whatever the count's factors.
    for (int i = 0; i < out.length; i++) {
      out[i] = (float) ((double) gradient[i] / count);
    }
    return out;
  }

  public long count() {
    return count;
  }

  /** Sum over samples of CE(a), each micro-batch's mean weighted by its size. */
  public double ceASum() {
    return ceA;
  }

  /** As {@link #ceASum()} for b; 0 in SPOS mode. */
  public double ceBSum() {
    return ceB;
  }

  /** Sum over samples of the micro-batch's R; 0 in SPOS mode. */
  public double rankSum() {
    return rank;
  }

  /**
   * Sum over samples of the micro-batch's loss L, the one the gradient is of (see
   * {@link GradientWorker}: CE(a) + CE(b) + lambda R, CE(a), or the sandwich rule's).
   */
  public double lossSum() {
    return loss;
  }

  @Override
  public String toString() {
    return "GradientSum[" + gradient.length + " params, " + count + " samples, ceA=" + ceA
        + ", ceB=" + ceB + ", R=" + rank + ", L=" + loss + "]";
  }
}
