package org.rdnas.train;

import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.rdnas.io.InputException;
import org.rdnas.config.TrainConfig;
import org.rdnas.nn.Supernet;
import org.rdnas.nn.Weights;
import org.rdnas.util.Seeds;

/**
 * What the driver owns during training: the flat supernet weights, the SGD state, the step counter and
 * the {@link StepPlanner}. Each step it hands out {@link #plan()} and takes the summed
 * {@link GradientSum} of all workers in {@link #apply}; each round of local SGD it hands out
 * {@link #planRound()} and takes the workers' {@link RoundResult}s in {@link #applyRound}. It can
 * snapshot itself as a {@link Checkpoint}. A {@link TrainingRun} drives it, whoever its
 * {@link Workers} are, so the in-process and the Spark run compute the same run. Not thread-safe: one driver thread.
 */
public final class TrainingState {
  private static final long INIT_TAG = Seeds.hash("rdnas.train.init");

  private final StepPlanner planner;
  private final float[] weights;
  private Sgd sgd;
  private long step;

  private TrainingState(StepPlanner planner, float[] weights, Sgd sgd, long step) {
    this.planner = planner;
    this.weights = weights;
    this.sgd = sgd;
    this.step = step;
  }

  /** A new run: weights initialised from the run seed, momentum zero, step 0. */
  public static TrainingState start(NDManager manager, Supernet network, StepPlanner planner) {
    TrainConfig t = planner.train();
    float[] w = initialWeights(manager, network, t.seed());
    return new TrainingState(planner, w, Sgd.create(w.length, t.momentum(), t.weightDecay()), 0);
  }

  /**
   * The supernet's initial flat weights for run seed {@code seed}: PyTorch's default initialisation,
   * each tensor from its own stream of (seed, tag, name).
   */
  public static float[] initialWeights(NDManager manager, Supernet network, long seed) {
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
  public static TrainingState resume(Checkpoint c, Supernet network, StepPlanner planner) {
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
      throw new InputException("checkpoint at step " + c.step()
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

  /**
   * The round from the next step to its end ({@link StepPlanner#roundEnd}); with K = 1, or at the
   * end of an epoch, a round of one step.
   */
  public RoundPlan planRound() {
    if (done()) {
      throw new IllegalStateException("training is complete after " + step + " steps");
    }
    return planner.round(step);
  }

  /** A copy of the SGD momentum buffer (what workers of a local round receive). */
  public float[] momentum() {
    return sgd.momentumBuffer();
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
    StepMetrics m = metrics(plan, lr, total.count(), total.ceASum(), total.ceBSum(),
        total.rankSum(), total.lossSum());
    float[] gradient = total.meanGradient();
    int badGradient = nonFinite(gradient);
    if (badGradient > 0 || !finite(m)) {
      throw diverged(m, badGradient > 0
          ? badGradient + " of " + gradient.length + " gradient values are not finite"
          : "a loss is not finite");
    }
    float[] updated = weights.clone();
    Sgd next = sgd.copy();
    next.step(updated, gradient, lr);
    int badWeights = nonFinite(updated);
    if (badWeights > 0) {
      throw diverged(m, "the update leaves " + badWeights + " of " + updated.length
          + " weights not finite");
    }
    // Committed only once every value is finite: a refused step leaves the state as it was.
    System.arraycopy(updated, 0, weights, 0, weights.length);
    sgd = next;
    step++;
    return m;
  }

  /**
   * Ends the local-SGD round {@code round} (the current one) with the results of its workers, in
   * worker order: the new weights and momentum are the workers' averaged, each weighted by its
   * samples in the round, summed in worker order in double (deterministic; with one worker its
   * values exactly); the step moves to the round's end. Returns one metrics row per step.
   *
   * @throws IllegalArgumentException when the round is not the current one or the results do not
   *     cover each step's whole batch (a lost or duplicated worker result)
   */
  public List<StepMetrics> applyRound(RoundPlan round, List<RoundResult> byWorker) {
    if (round.firstStep() != step) {
      throw new IllegalArgumentException("round starts at step " + round.firstStep()
          + ", the run is at " + step);
    }
    long[] shares = new long[byWorker.size()];
    long total = 0;
    for (int i = 0; i < shares.length; i++) {
      RoundResult r = byWorker.get(i);
      if (r.steps() != round.size() || r.weights().length != weights.length) {
        throw new IllegalArgumentException("worker " + i + " returned " + r.steps() + " steps of "
            + r.weights().length + " parameters for a round of " + round.size() + " steps of "
            + weights.length);
      }
      shares[i] = r.samples();
      total += shares[i];
    }
    List<StepMetrics> out = new ArrayList<>();
    for (int j = 0; j < round.size(); j++) {
      StepPlan plan = round.steps().get(j);
      long count = 0;
      double ceA = 0;
      double ceB = 0;
      double rank = 0;
      double loss = 0;
      for (RoundResult r : byWorker) {
        count += r.count(j);
        ceA += r.ceASum(j);
        ceB += r.ceBSum(j);
        rank += r.rankSum(j);
        loss += r.lossSum(j);
      }
      if (count != plan.batchSize()) {
        throw new IllegalArgumentException("worker results cover " + count + " samples, step "
            + plan.step() + " has " + plan.batchSize());
      }
      StepMetrics m = metrics(plan, round.lr(j), count, ceA, ceB, rank, loss);
      if (!finite(m)) {
        throw diverged(m, "in a local-SGD round of " + round.size() + " steps");
      }
      out.add(m);
    }
    float[] averaged = new float[weights.length];
    average(averaged, byWorker.stream().map(RoundResult::weights).toList(), shares, total);
    float[] momentum = new float[weights.length];
    average(momentum, byWorker.stream().map(RoundResult::momentum).toList(), shares, total);
    int bad = nonFinite(averaged) + nonFinite(momentum);
    if (bad > 0) {
      throw diverged(out.get(out.size() - 1), "the round's averaged weights and momentum hold "
          + bad + " non-finite values");
    }
    System.arraycopy(averaged, 0, weights, 0, weights.length);
    TrainConfig t = planner.train();
    sgd = Sgd.restore(momentum, t.momentum(), t.weightDecay());
    step += round.size();
    return out;
  }

  private static boolean finite(StepMetrics m) {
    return Double.isFinite(m.ceA()) && Double.isFinite(m.ceB()) && Double.isFinite(m.rank())
        && Double.isFinite(m.loss());
  }

  private static int nonFinite(float[] v) {
    int n = 0;
    for (float x : v) {
      if (!Float.isFinite(x)) {
        n++;
      }
    }
    return n;
  }

  private TrainingDivergedException diverged(StepMetrics m, String what) {
    return new TrainingDivergedException(m.step(), String.format(java.util.Locale.ROOT,
        "training diverged at step %d (epoch %d): %s; ce_a %s, ce_b %s, rank loss %s, learning rate "
            + "%s. Nothing of this step was applied or written; the last checkpoint stays the resume "
            + "point. Lower rdnas.train.lr (or check the data) and resume.",
        m.step(), m.epoch(), what, m.ceA(), m.ceB(), m.rank(), m.lr()));
  }

  /** out = sum_i (n_i / total) x_i, in double, in the order of {@code xs}. */
  private static void average(float[] out, List<float[]> xs, long[] n, long total) {
    double[] acc = new double[out.length];
    // -0.0 is the identity of addition (0.0 + -0.0 is 0.0): one worker's values come out unchanged.
    Arrays.fill(acc, -0.0);
    for (int i = 0; i < n.length; i++) {
      if (n[i] == 0) {
        continue;
      }
      double share = (double) n[i] / total;
      float[] x = xs.get(i);
      for (int p = 0; p < acc.length; p++) {
        acc[p] += share * x[p];
      }
    }
    for (int p = 0; p < out.length; p++) {
      out[p] = (float) acc[p];
    }
  }

  private static StepMetrics metrics(StepPlan plan, double lr, long count, double ceA, double ceB,
      double rank, double loss) {
    double n = count;
    return new StepMetrics(plan.step(), plan.epoch(), lr, plan.lambda(), count, ceA / n, ceB / n,
        rank / n, loss / n, plan.archIdA(), plan.archIdB(), plan.preferred());
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
