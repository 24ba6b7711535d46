package org.rdnas.spark.train;

import java.io.Serial;
import java.io.Serializable;
import org.rdnas.train.GradientSum;

/**
 * What one worker task returns for a step: its {@link GradientSum} and how long the gradient
 * computation itself took, so the driver can split step time into compute and coordination. A plain
 * class, so Kryo serialises it.
 */
public final class WorkerResult implements Serializable {
  @Serial private static final long serialVersionUID = 1L;

  private final int worker;
  private final GradientSum sum;
  private final long computeNanos;

  WorkerResult(int worker, GradientSum sum, long computeNanos) {
    this.worker = worker;
    this.sum = sum;
    this.computeNanos = computeNanos;
  }

  /** The worker index, 0..W-1. */
  public int worker() {
    return worker;
  }

  public GradientSum sum() {
    return sum;
  }

  /** Wall time of the forward and backward passes in the task. */
  public long computeNanos() {
    return computeNanos;
  }
}
