package org.rdnas.config;

import java.io.Serializable;

/**
 * Supernet training in job 2 ({@code rdnas.train}); the defaults are a small run for a CPU, the
 * RD-NAS authors' runs are {@code conf/paper.conf}.
 *
 * @param mode RD-NAS (CE on a margin-sampled pair plus the ranking loss) or the SPOS baseline
 * @param epochs E, passes over the training images
 * @param batchSize global batch per step, split across the workers
 * @param workers W, data-parallel worker partitions per step
 * @param microBatch samples per micro-batch, the unit of BN statistics and of the ranking loss;
 *     0 means ceil(batch-size / workers), one micro-batch per worker
 * @param resume continue from the newest complete checkpoint under the output path
 * @param freshStartIfUnreadable with resume, when checkpoint files exist but none can be read, move
 *     them aside and start at step 0 instead of refusing (they are never deleted)
 * @param seed seed of initial weights, sampler and data order
 * @param lr initial SGD learning rate
 * @param lrMin the cosine schedule's final learning rate
 * @param momentum SGD momentum
 * @param weightDecay L2 weight decay
 * @param stepsPerRound K, optimizer steps per Spark job; above 1 (with several workers) local SGD
 *     averaged once per round instead of gradients averaged every step
 * @param checkpointEvery steps between checkpoints, written at the round end that reaches each
 *     multiple
 * @param evalEvery epochs between evaluations; 0 evaluates only at the end
 * @param trainImages training images to use; 0 means all that remain after the held-out set
 * @param heldOut images kept out of training for evaluation
 * @param augment random crop (pad 4) and horizontal flip on training images
 * @param sposSubnets where a SPOS step draws its subnet: uniformly from the search space (the SPOS
 *     paper), or from the ranking table's archs, the pool RD-NAS draws its pairs from, so that the two
 *     modes train on the same subnets; RD-NAS always draws from the table
 */
public record TrainConfig(Mode mode, int epochs, int batchSize, int workers, int microBatch,
    boolean resume, boolean freshStartIfUnreadable,
    long seed, double lr, double lrMin, double momentum, double weightDecay, int stepsPerRound,
    int checkpointEvery, int evalEvery, int trainImages, int heldOut, boolean augment,
    SposSubnets sposSubnets) implements Serializable {
  static final Section<TrainConfig> SECTION = Section.of(TrainConfig.class, "rdnas.train",
      Key.choice("mode", Mode.class),
      Key.integer("epochs", Key.atLeast(1)),
      Key.integer("batch-size", Key.atLeast(1)),
      Key.integer("workers", Key.atLeast(1)),
      Key.integer("micro-batch", Key.atLeast(0)),
      Key.bool("resume"),
      Key.bool("fresh-start-if-unreadable"),
      Key.longInteger("seed"),
      Key.number("lr", Key.positive()),
      Key.number("lr-min", Key.finiteAtLeast(0)),
      Key.number("momentum", Key.halfOpen(0, 1)),
      Key.number("weight-decay", Key.finiteAtLeast(0)),
      Key.integer("steps-per-round", Key.atLeast(1)),
      Key.integer("checkpoint-every", Key.atLeast(1)),
      Key.integer("eval-every", Key.atLeast(0)),
      Key.integer("train-images", Key.atLeast(0)),
      Key.integer("held-out", Key.atLeast(1)),
      Key.bool("augment"),
      Key.choice("spos-subnets", SposSubnets.class));

  /** What a training step optimises. */
  public enum Mode implements ConfigEnum { RDNAS, SPOS }

  /** Where a SPOS step draws its subnet from. */
  public enum SposSubnets implements ConfigEnum { SPACE, TABLE }

  public TrainConfig {
    Checks c = SECTION.check(mode, epochs, batchSize, workers, microBatch, resume,
        freshStartIfUnreadable, seed, lr, lrMin, momentum, weightDecay, stepsPerRound,
        checkpointEvery, evalEvery, trainImages, heldOut, augment, sposSubnets);
    if (c.passed("batch-size") && workers > batchSize) {
      // Each worker computes on its share of the batch; a worker with no images has no gradient.
      c.fail("workers", "must not exceed " + c.key("batch-size") + " (" + batchSize + "): each of "
          + "the " + workers + " workers needs at least one image of every step's batch");
    }
    if (c.passed("batch-size")) {
      c.notAbove("micro-batch", microBatch, "batch-size", batchSize);
    }
    if (c.passed("lr")) {
      c.notAbove("lr-min", lrMin, "lr", lr);
    }
    c.throwIfAny();
  }

  /**
   * The micro-batch the step plans use: {@link #microBatch()}, or ceil(B / W) when that is 0 (BN
   * statistics per worker, as in PyTorch's DistributedDataParallel). Runs meant to give the same
   * weights with different W must set it.
   */
  public int effectiveMicroBatch() {
    return microBatch > 0 ? microBatch : (batchSize + workers - 1) / workers;
  }
}
