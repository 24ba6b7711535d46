package org.rdnas.train;

import java.io.Serial;
import java.io.Serializable;
import java.util.Objects;

/**
 * What one worker returns for a round of local SGD ({@link LocalSgd}): its weights and momentum
 * after the round's updates, and per step its sample count and sample-weighted sums of CE(a), CE(b),
 * R and the loss L. A plain class, not a record, so Spark's Kryo serializes it as it is.
 */
public final class RoundResult implements Serializable {
  @Serial private static final long serialVersionUID = 1L;

  private final float[] weights;
  private final float[] momentum;
  private final long[] counts;
  private final double[] ceA;
  private final double[] ceB;
  private final double[] rank;
  private final double[] loss;

  /** A result from its parts, taken as they are, not copied. */
  public RoundResult(float[] weights, float[] momentum, long[] counts, double[] ceA, double[] ceB,
      double[] rank, double[] loss) {
    this.weights = Objects.requireNonNull(weights, "weights");
    this.momentum = Objects.requireNonNull(momentum, "momentum");
    this.counts = Objects.requireNonNull(counts, "counts");
    this.ceA = Objects.requireNonNull(ceA, "ceA");
    this.ceB = Objects.requireNonNull(ceB, "ceB");
    this.rank = Objects.requireNonNull(rank, "rank");
    this.loss = Objects.requireNonNull(loss, "loss");
    if (weights.length != momentum.length || ceA.length != counts.length
        || ceB.length != counts.length || rank.length != counts.length
        || loss.length != counts.length) {
      throw new IllegalArgumentException("weights and momentum, and the per-step arrays, must "
          + "have equal lengths");
    }
  }

  /** The worker's weights after the round (not a copy). */
  public float[] weights() {
    return weights;
  }

  /** The worker's momentum buffer after the round (not a copy). */
  public float[] momentum() {
    return momentum;
  }

  /** Steps in the round. */
  public int steps() {
    return counts.length;
  }

  /** The worker's samples in the round's step {@code j}. */
  public long count(int j) {
    return counts[j];
  }

  /** The worker's samples over the whole round: its weight in the average. */
  public long samples() {
    long n = 0;
    for (long c : counts) {
      n += c;
    }
    return n;
  }

  /** Sum over the worker's samples of step {@code j} of CE(a). */
  public double ceASum(int j) {
    return ceA[j];
  }

  /** As {@link #ceASum} for b; 0 in SPOS mode. */
  public double ceBSum(int j) {
    return ceB[j];
  }

  /** As {@link #ceASum} for R; 0 in SPOS mode. */
  public double lossSum(int j) {
    return loss[j];
  }

  public double rankSum(int j) {
    return rank[j];
  }
}
