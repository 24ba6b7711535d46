package org.rdnas.train;

import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The whole RD-NAS / SPOS training loop in one process: each step, {@code workers} in-process
 * {@link GradientWorker} shards compute their gradient sums one after the other, the sums are added
 * and applied to the {@link TrainingState}. The reference the Spark job must equal, and the way to run
 * small experiments without Spark.
 */
public final class Trainer {
  private final TrainingState state;
  private final GradientWorker worker;
  private final int workers;

  public Trainer(TrainingState state, GradientWorker worker, int workers) {
    this.state = Objects.requireNonNull(state, "state");
    this.worker = Objects.requireNonNull(worker, "worker");
    if (workers < 1) {
      throw new IllegalArgumentException("workers must be >= 1, got " + workers);
    }
    if (worker.parameterCount() != state.parameterCount()) {
      throw new IllegalArgumentException("worker network has " + worker.parameterCount()
          + " parameters, the training state " + state.parameterCount());
    }
    this.workers = workers;
  }

  public TrainingState state() {
    return state;
  }

  /** Runs the next step; its NDArrays live in a scope under {@code manager} that it closes. */
  public StepMetrics step(NDManager manager) {
    StepPlan plan = state.plan();
    float[] weights = state.weights();
    GradientSum total = GradientSum.zero(state.parameterCount());
    for (int w = 0; w < workers; w++) {
      total.add(worker.compute(manager, weights, plan, w, workers));
    }
    return state.apply(plan, total);
  }

  /** Runs up to {@code steps} more steps (fewer when the run ends first). */
  public List<StepMetrics> run(NDManager manager, long steps) {
    List<StepMetrics> out = new ArrayList<>();
    for (long i = 0; i < steps && !state.done(); i++) {
      out.add(step(manager));
    }
    return out;
  }
}
