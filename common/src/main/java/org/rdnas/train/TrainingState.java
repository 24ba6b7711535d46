package org.rdnas.train;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.rdnas.config.TrainConfig;
import org.rdnas.nn.Nb201Network;
import org.rdnas.nn.Weights;
import org.rdnas.util.Seeds;

/**
 * What the driver owns during training: the flat supernet weights, the SGD state, the step counter and
 * the {@link StepPlanner}. Each step it hands out {@link #plan()}, takes the summed
 * {@link GradientSum} of all workers in {@link #apply}, and can snapshot itself as a
 * {@link Checkpoint}. The in-process {@link Trainer} and the Spark job drive the same object, so they
 * compute the same run. Not thread-safe: one driver thread.
 */
public final class TrainingState {
  private static final long INIT_TAG = Seeds.hash("rdnas.train.init");

  private final StepPlanner planner;
  private final float[] weights;
  private final Sgd sgd;
  private long step;

  private TrainingState(StepPlanner planner, float[] weights, Sgd sgd, long step) {
    this.planner = planner;
    this.weights = weights;
    this.sgd = sgd;
    this.step = step;
  }

  /** A new run: weights initialised from the run seed, momentum zero, step 0. */
  public static TrainingState start(NDManager manager, Nb201Network network, StepPlanner planner) {
    TrainConfig t = planner.train();
    float[] w = initialWeights(manager, network, t.seed());
    return new TrainingState(planner, w, Sgd.create(w.length, t.momentum(), t.weightDecay()), 0);
  }

  /**
   * The supernet's initial flat weights for run seed {@code seed}: PyTorch's default initialisation,
   * each tensor from its own stream of (seed, tag, name).
   */
  public static float[] initialWeights(NDManager manager, Nb201Network network, long seed) {
    try (Weights w = Weights.initialize(manager, network.parameters(), Seeds.mix(seed, INIT_TAG),
        Weights.Init.PYTORCH_DEFAULT, DataType.FLOAT32)) {
      return w.toFlat(network.parameters());
    }
  }

  /**
   * Continues from {@code c}, after checking that it belongs to this run: mode, seeds, data order,
   * batching, sampler and parameter count must match the planner's, or the resumed steps would differ
   * from the interrupted run's.
   *
   * @throws IllegalArgumentException listing every mismatch
   */
  public static TrainingState resume(Checkpoint c, Nb201Network network, StepPlanner planner) {
    Objects.requireNonNull(c, "checkpoint");
    TrainConfig t = planner.train();
    List<String> bad = new ArrayList<>();
    long params = network.parameters().stream().mapToLong(p -> p.size()).sum();
    if (c.weights().length != params) {
      bad.add("it has " + c.weights().length + " parameters, the supernet " + params);
    }
    if (c.mode() != t.mode()) {
      bad.add("mode " + c.mode() + " vs " + t.mode());
    }
    Checkpoint.DataOrder expected = dataOrder(planner);
    if (!c.dataOrder().equals(expected)) {
      bad.add("data order " + c.dataOrder() + " vs " + expected);
    }
    if (!Objects.equals(c.sampler(), samplerState(planner))) {
      bad.add("sampler " + c.sampler() + " vs " + samplerState(planner));
    }
    if (c.step() > planner.totalSteps()) {
      bad.add("step " + c.step() + " is past the run's " + planner.totalSteps() + " steps");
    }
    if (!bad.isEmpty()) {
      throw new IllegalArgumentException("checkpoint at step " + c.step()
          + " does not belong to this run: " + String.join("; ", bad));
    }
    return new TrainingState(planner, c.weights(),
        Sgd.restore(c.momentum(), t.momentum(), t.weightDecay()), c.step());
  }

  public StepPlanner planner() {
    return planner;
  }

  /** The next step to run (= steps completed). */
  public long step() {
    return step;
  }

  /** Whether every step of the run has been applied. */
  public boolean done() {
    return step >= planner.totalSteps();
  }

  /** The plan of the next step. */
  public StepPlan plan() {
    if (done()) {
      throw new IllegalStateException("training is complete after " + step + " steps");
    }
    return planner.plan(step);
  }

  /** A copy of the current flat weights (what workers receive). */
  public float[] weights() {
    return weights.clone();
  }

  /** Number of supernet parameters. */
  public int parameterCount() {
    return weights.length;
  }

  /**
   * Applies the step {@code plan} (the current one) with the summed gradients of all its workers: the
   * mean gradient over the global batch, an SGD update at the step's learning rate, then the next step.
   *
   * @throws IllegalArgumentException when the plan is not the current step's or the sums do not cover
   *     its whole batch (a lost or duplicated worker result)
   */
  public StepMetrics apply(StepPlan plan, GradientSum total) {
    if (plan.step() != step) {
      throw new IllegalArgumentException("plan is for step " + plan.step() + ", the run is at " + step);
    }
    if (total.count() != plan.batchSize()) {
      throw new IllegalArgumentException("gradient sums cover " + total.count()
          + " samples, step " + step + " has " + plan.batchSize());
    }
    double lr = planner.learningRate(step);
    sgd.step(weights, total.meanGradient(), lr);
    double n = total.count();
    StepMetrics m = new StepMetrics(step, plan.epoch(), lr, plan.lambda(), total.count(),
        total.ceASum() / n, total.ceBSum() / n, total.rankSum() / n, plan.a(), plan.b(),
        plan.preferred());
    step++;
    return m;
  }

  /** A checkpoint of the current state; {@code configJson} is the run's resolved configuration. */
  public Checkpoint checkpoint(String configJson) {
    return new Checkpoint(step, planner.epochOf(step), planner.train().mode(), dataOrder(planner),
        samplerState(planner), configJson, weights, sgd.momentumBuffer());
  }

  private static Checkpoint.DataOrder dataOrder(StepPlanner p) {
    return new Checkpoint.DataOrder(p.seed(), p.trainSize(), p.train().batchSize(),
        p.stepsPerEpoch(), p.microBatch());
  }

  private static Checkpoint.SamplerState samplerState(StepPlanner p) {
    MarginPairSampler s = p.sampler();
    return s == null ? null
        : new Checkpoint.SamplerState(s.seed(), s.threshold(), s.teacher().columns());
  }
}
