package org.rdnas.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Running BN statistics of one network, keyed by BN name, as PyTorch keeps them (mean starts at 0,
 * variance at 1, unbiased batch variance, momentum 0.1). Owns its arrays; close it when done.
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
  private final double momentum;
  private final Map<String, NDArray[]> stats = new LinkedHashMap<>();

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

  public double momentum() {
    return momentum;
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
