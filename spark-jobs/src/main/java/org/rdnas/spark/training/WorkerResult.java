package org.rdnas.spark.training;

import java.io.Serial;
import java.io.Serializable;

/**
 * What one worker task returns: its value for the step or round (a
 * {@link org.rdnas.train.GradientSum} or a {@link org.rdnas.train.RoundResult}) and how long its
 * computation itself took, so the driver can split the job's time into compute and coordination. A
 * plain class, so Kryo serialises it.
 */
public final class WorkerResult<T> implements Serializable {
  @Serial private static final long serialVersionUID = 1L;

  private final int worker;
  private final T value;
  private final long computeNanos;

  WorkerResult(int worker, T value, long computeNanos) {
    this.worker = worker;
    this.value = value;
    this.computeNanos = computeNanos;
  }

  /** The worker index, 0..W-1. */
  public int worker() {
    return worker;
  }

  public T value() {
    return value;
  }

  /** Wall time of the forward and backward passes (and local updates) in the task. */
  public long computeNanos() {
    return computeNanos;
  }
}
