package org.rdnas.train;

import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The whole RD-NAS / SPOS training loop in one process, round by round as the Spark job runs it: in a
 * round of one step, {@code workers} in-process {@link GradientWorker} shards compute their gradient
 * sums one after the other, the sums are added and applied to the {@link TrainingState}; in a longer
 * round each shard runs {@link LocalSgd} and the state averages the results. The reference the Spark
 * job must equal, and the way to run small experiments without Spark.
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

  /**
   * Runs the next step as a plain synchronous step whatever the round length; its NDArrays live in
   * a scope under {@code manager} that it closes.
   */
  public StepMetrics step(NDManager manager) {
    StepPlan plan = state.plan();
    float[] weights = state.weights();
    GradientSum total = GradientSum.zero(state.parameterCount());
    for (int w = 0; w < workers; w++) {
      total.add(worker.compute(manager, weights, plan, w, workers));
    }
    return state.apply(plan, total);
  }

  /** Runs the next round ({@link TrainingState#planRound}); one metrics row per step. */
  public List<StepMetrics> round(NDManager manager) {
    RoundPlan round = state.planRound();
    if (!round.local()) {
      return List.of(step(manager));
    }
    float[] weights = state.weights();
    float[] momentum = state.momentum();
    List<RoundResult> results = new ArrayList<>();
    for (int w = 0; w < workers; w++) {
      results.add(LocalSgd.run(manager, worker, weights, momentum, round, w, workers));
    }
    return state.applyRound(round, results);
  }

  /**
   * Runs whole rounds until {@code steps} more steps are done (more when that falls inside a round,
   * fewer when the run ends first).
   */
  public List<StepMetrics> run(NDManager manager, long steps) {
    List<StepMetrics> out = new ArrayList<>();
    while (out.size() < steps && !state.done()) {
      out.addAll(round(manager));
    }
    return out;
  }
}
