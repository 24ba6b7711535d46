package org.rdnas.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Running BN statistics of one network, keyed by BN name, as PyTorch keeps them (mean starts at 0,
 * variance at 1, unbiased batch variance, momentum 0.1, or an equal-weight average of every tracked
 * batch as PyTorch's {@code momentum=None}). Owns its arrays; close it when done.
 */
public final class BnStats implements AutoCloseable {
  /** How a forward uses these statistics. */
  public enum Mode {
    /** Normalise with batch statistics and update the running ones (train mode, tracked). */
    TRACK,
    /** Normalise with the running statistics (eval mode). */
    USE
  }

  private final NDManager manager;
  /** Weight of the new batch; NaN for the cumulative average. */
  private final double momentum;
  private final Map<String, NDArray[]> stats = new LinkedHashMap<>();
  private final Map<String, Integer> tracked = new LinkedHashMap<>();

  private BnStats(NDManager parent, double momentum) {
    this.manager = parent.newSubManager();
    this.momentum = momentum;
  }

  /** Empty statistics with PyTorch's default momentum 0.1. */
  public static BnStats create(NDManager parent) {
    return new BnStats(parent, 0.1);
  }

  /** Empty statistics with the given momentum (weight of the new batch). */
  public static BnStats create(NDManager parent, double momentum) {
    if (!(momentum > 0 && momentum <= 1)) {
      throw new IllegalArgumentException("BN momentum must be in (0, 1], got " + momentum);
    }
    return new BnStats(parent, momentum);
  }

  /**
   * Statistics that average every tracked batch with equal weight (PyTorch's {@code momentum=None}):
   * after k batches the running mean is the mean of the k batch means. For BN recalibration, where a
   * fixed momentum would keep a bias towards the initial mean 0 and variance 1 after few batches.
   */
  public static BnStats cumulative(NDManager parent) {
    return new BnStats(parent, Double.NaN);
  }

  /** Weight of each new batch; NaN for {@link #cumulative} statistics. */
  public double momentum() {
    return momentum;
  }

  /** Weight of the batch BN {@code name} is about to track (counts it for cumulative statistics). */
  double nextBatchWeight(String name) {
    if (!Double.isNaN(momentum)) {
      return momentum;
    }
    return 1.0 / tracked.merge(name, 1, Integer::sum);
  }

  /** {running mean, running var} of BN {@code name}, created on first use. */
  NDArray[] of(String name, long channels, DataType type) {
    return stats.computeIfAbsent(name, n -> new NDArray[] {
        manager.zeros(new ai.djl.ndarray.types.Shape(channels), type),
        manager.ones(new ai.djl.ndarray.types.Shape(channels), type)});
  }

  /** Running variance of BN {@code name}, or null if it never ran. */
  public NDArray runningVar(String name) {
    NDArray[] s = stats.get(name);
    return s == null ? null : s[1];
  }

  /** Running mean of BN {@code name}, or null if it never ran. */
  public NDArray runningMean(String name) {
    NDArray[] s = stats.get(name);
    return s == null ? null : s[0];
  }

  /** Names of the BNs that ran, in order of first use. */
  public java.util.Set<String> names() {
    return java.util.Collections.unmodifiableSet(stats.keySet());
  }

  @Override
  public void close() {
    manager.close();
  }
}
