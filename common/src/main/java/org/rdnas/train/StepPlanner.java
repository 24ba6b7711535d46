package org.rdnas.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import java.util.function.ToLongFunction;
import org.rdnas.config.DistillConfig;
import org.rdnas.config.TrainConfig;
import org.rdnas.io.InputException;
import org.rdnas.space.SearchSpace;
import org.rdnas.util.Seeds;

/**
 * The driver's schedule: the {@link StepPlan} of every step, the learning rate and the epoch, all
 * pure functions of the run's configuration and the step number, so a resumed run plans exactly what
 * an uninterrupted one would.
 *
 * <p>Data order: epoch e visits the training images in a permutation drawn from (seed, e); step k of
 * the epoch takes positions [k B, (k + 1) B) of it, and the last incomplete batch is dropped, so every
 * step has the same batch size B (and the same micro-batches). Augmentation draws come from
 * (seed, step, image index). RD-NAS pairs come from the {@link MarginPairSampler} (seed, step); the
 * SPOS subnet is drawn by the search space's sampler (or uniformly from a pool of archs, see
 * {@code rdnas.train.spos-subnets}) with (seed, step). On a supernet trained by the sandwich rule
 * an RD-NAS step also draws the sandwich's random subnet, by the space's sampler with (seed, step).
 *
 * <p>Rounds: K = {@code steps-per-round} steps run as one round ({@link RoundPlan}), counted from the
 * start of each epoch; the last round of an epoch is shorter when K does not divide the steps per
 * epoch. Rounds never cross an epoch end (where evaluations fall) and depend on the step alone, so a
 * run resumed at a round end forms the rounds an uninterrupted one does.
 */
public final class StepPlanner {
  private static final long ORDER_TAG = Seeds.hash("rdnas.train.data-order");
  private static final long AUGMENT_TAG = Seeds.hash("rdnas.train.augment");
  private static final long SPOS_TAG = Seeds.hash("rdnas.train.spos-subnet");
  private static final long SANDWICH_TAG = Seeds.hash("rdnas.train.sandwich-subnet");

  private final TrainConfig train;
  private final int trainSize;
  private final int microBatch;
  private final int stepsPerEpoch;
  private final CosineLr lr;
  // RD-NAS
  private final MarginPairSampler sampler;
  private final LambdaSchedule lambda;
  private final MarginRankingLoss loss;
  // SPOS: the subnet of a step from its random stream
  private final ToLongFunction<SplittableRandom> sposDraw;
  // RD-NAS on a sandwich-rule supernet: the random subnet of a step; null otherwise
  private final ToLongFunction<SplittableRandom> sandwichDraw;

  private int cachedEpoch = -1;
  private int[] cachedOrder;

  private StepPlanner(TrainConfig train, int trainSize, int microBatch, MarginPairSampler sampler,
      LambdaSchedule lambda, MarginRankingLoss loss, ToLongFunction<SplittableRandom> sposDraw,
      ToLongFunction<SplittableRandom> sandwichDraw) {
    this.train = Objects.requireNonNull(train, "train config");
    if (microBatch < 1) {
      throw new IllegalArgumentException("micro-batch must be >= 1, got " + microBatch);
    }
    if (trainSize < train.batchSize()) {
      throw new InputException("an epoch needs at least one full batch: " + trainSize
          + " training images < batch size " + train.batchSize());
    }
    this.trainSize = trainSize;
    this.microBatch = microBatch;
    this.stepsPerEpoch = trainSize / train.batchSize();
    this.lr = new CosineLr(train.lr(), train.lrMin(), train.epochs());
    this.sampler = sampler;
    this.lambda = lambda;
    this.loss = loss;
    this.sposDraw = sposDraw;
    this.sandwichDraw = sandwichDraw;
  }

  /**
   * The RD-NAS schedule: pairs of {@code teacher}'s rows, archs of {@code space}, drawn by a
   * {@link MarginPairSampler} with {@code distill}'s threshold and the run seed, lambda from
   * {@code distill}, margin from {@code loss}; with a random subnet per step too when
   * {@code sandwich} (the supernet is trained by the sandwich rule).
   *
   * @throws IllegalArgumentException when the table has no pair far enough apart
   */
  public static StepPlanner rdnas(TrainConfig train, int trainSize, int microBatch,
      DistillConfig distill, Teacher teacher, MarginRankingLoss loss, SearchSpace space,
      boolean sandwich) {
    requireMode(train, TrainConfig.Mode.RDNAS);
    MarginPairSampler sampler =
        MarginPairSampler.create(teacher, space, distill.threshold(), train.seed());
    return new StepPlanner(train, trainSize, microBatch, sampler,
        LambdaSchedule.of(distill, train.epochs()), Objects.requireNonNull(loss, "loss"), null,
        sandwich ? space::sampleOne : null);
  }

  /** The pair sampler; null in SPOS mode. */
  public MarginPairSampler sampler() {
    return sampler;
  }

  /** The ranking loss's weight schedule; null in SPOS mode. */
  public LambdaSchedule lambdaSchedule() {
    return lambda;
  }

  /** The SPOS schedule: one subnet per step, drawn by {@code space}'s sampler. */
  public static StepPlanner spos(TrainConfig train, int trainSize, int microBatch,
      SearchSpace space) {
    requireMode(train, TrainConfig.Mode.SPOS);
    Objects.requireNonNull(space, "space");
    return new StepPlanner(train, trainSize, microBatch, null, null, null, space::sampleOne, null);
  }

  /** The SPOS schedule over a pool: one subnet per step, uniform over the arch ids {@code pool}. */
  public static StepPlanner spos(TrainConfig train, int trainSize, int microBatch,
      long[] pool) {
    requireMode(train, TrainConfig.Mode.SPOS);
    long[] archs = pool.clone();
    if (archs.length == 0) {
      throw new IllegalArgumentException("no archs to draw SPOS subnets from");
    }
    return new StepPlanner(train, trainSize, microBatch, null, null, null,
        rng -> archs[rng.nextInt(archs.length)], null);
  }

  /**
   * The default micro-batch, ceil(B / W): one micro-batch per worker, BN statistics per worker as
   * in PyTorch's DistributedDataParallel. Runs meant to be compared across different W must fix the
   * micro-batch instead.
   */
  public static int defaultMicroBatch(int batchSize, int workers) {
    return (batchSize + workers - 1) / workers;
  }

  private static void requireMode(TrainConfig train, TrainConfig.Mode mode) {
    if (train.mode() != mode) {
      throw new IllegalArgumentException("train mode is " + train.mode() + ", not " + mode);
    }
  }

  public TrainConfig train() {
    return train;
  }

  public int trainSize() {
    return trainSize;
  }

  public int microBatch() {
    return microBatch;
  }

  public int stepsPerEpoch() {
    return stepsPerEpoch;
  }

  /** Steps of the whole run: epochs x steps per epoch. */
  public long totalSteps() {
    return (long) train.epochs() * stepsPerEpoch;
  }

  public int epochOf(long step) {
    return (int) (step / stepsPerEpoch);
  }

  /** The SGD learning rate of step {@code step}. */
  public double learningRate(long step) {
    return lr.at(epochOf(step));
  }

  /** K, the steps of a full round. */
  public int stepsPerRound() {
    return train.stepsPerRound();
  }

  /** The step after the round that holds step {@code step}: the first step of the next round. */
  public long roundEnd(long step) {
    checkStep(step);
    long epochStart = (long) epochOf(step) * stepsPerEpoch;
    long k = train.stepsPerRound();
    return Math.min(epochStart + ((step - epochStart) / k + 1) * k, epochStart + stepsPerEpoch);
  }

  /** The round from step {@code step} to its {@link #roundEnd}. */
  public RoundPlan round(long step) {
    long end = roundEnd(step);
    List<StepPlan> plans = new ArrayList<>();
    double[] lrs = new double[(int) (end - step)];
    for (long s = step; s < end; s++) {
      plans.add(plan(s));
      lrs[(int) (s - step)] = learningRate(s);
    }
    return new RoundPlan(plans, lrs, train.momentum(), train.weightDecay());
  }

  /** The seed of the data order and augmentation (the run seed). */
  public long seed() {
    return train.seed();
  }

  /** The plan of step {@code step} (0 <= step < total steps). */
  public StepPlan plan(long step) {
    checkStep(step);
    int epoch = epochOf(step);
    int k = (int) (step % stepsPerEpoch);
    int b = train.batchSize();
    int[] indices = Arrays.copyOfRange(order(epoch), k * b, (k + 1) * b);
    long augmentSeed = Seeds.mix(train.seed(), AUGMENT_TAG);
    if (train.mode() == TrainConfig.Mode.SPOS) {
      long a = sposDraw.applyAsLong(new SplittableRandom(Seeds.mix(train.seed(), step, SPOS_TAG)));
      return new StepPlan(step, epoch, TrainConfig.Mode.SPOS, a, -1, -1, null, 0, 0, indices,
          microBatch, train.augment(), augmentSeed);
    }
    MarginPairSampler.Pair pair = sampler.sample(step);
    long random = sandwichDraw == null ? -1
        : sandwichDraw.applyAsLong(new SplittableRandom(Seeds.mix(train.seed(), step, SANDWICH_TAG)));
    return new StepPlan(step, epoch, TrainConfig.Mode.RDNAS, pair.a(), pair.b(), random,
        pair.preferred(), lambda.at(epoch), loss.margin(pair.distance()), indices, microBatch,
        train.augment(), augmentSeed);
  }

  private void checkStep(long step) {
    if (step < 0 || step >= totalSteps()) {
      throw new IllegalArgumentException("step " + step + " is not in 0.." + (totalSteps() - 1));
    }
  }

  /** The training-image permutation of epoch {@code epoch}. */
  private synchronized int[] order(int epoch) {
    if (epoch != cachedEpoch) {
      int[] perm = new int[trainSize];
      Arrays.setAll(perm, i -> i);
      SplittableRandom rng = new SplittableRandom(Seeds.mix(train.seed(), epoch, ORDER_TAG));
      for (int i = trainSize - 1; i > 0; i--) {
        int j = rng.nextInt(i + 1);
        int t = perm[i];
        perm[i] = perm[j];
        perm[j] = t;
      }
      cachedOrder = perm;
      cachedEpoch = epoch;
    }
    return cachedOrder;
  }
}
