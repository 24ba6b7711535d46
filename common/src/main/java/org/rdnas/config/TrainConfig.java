package org.rdnas.config;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Supernet training in job 2 ({@code rdnas.train}); the defaults are the RD-NAS authors' runs.
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
 */
public record TrainConfig(Mode mode, int epochs, int batchSize, int workers, int microBatch,
    boolean resume, boolean freshStartIfUnreadable,
    long seed, double lr, double lrMin, double momentum, double weightDecay, int stepsPerRound,
    int checkpointEvery, int evalEvery, int trainImages, int heldOut, boolean augment)
    implements Serializable {
  static final String PATH = "rdnas.train";

  /** What a training step optimises. */
  public enum Mode implements ConfigEnum { RDNAS, SPOS }

  public TrainConfig {
    Checks c = Checks.section(PATH);
    c.notNull("mode", mode);
    c.atLeast("epochs", epochs, 1);
    c.atLeast("batch-size", batchSize, 1);
    c.atLeast("workers", workers, 1);
    if (batchSize >= 1 && workers > batchSize) {
      // Each worker computes on its share of the batch; a worker with no images has no gradient.
      c.fail("workers", "must not exceed " + PATH + ".batch-size (" + batchSize + "): each of the "
          + workers + " workers needs at least one image of every step's batch");
    }
    c.atLeast("micro-batch", microBatch, 0);
    if (batchSize >= 1 && microBatch > batchSize) {
      c.fail("micro-batch", "must not exceed " + PATH + ".batch-size (" + batchSize + "), got "
          + microBatch);
    }
    c.positive("lr", lr);
    c.finiteAtLeast("lr-min", lrMin, 0);
    if (Double.isFinite(lr) && lr > 0 && lrMin > lr) {
      c.fail("lr-min", "must not exceed " + PATH + ".lr (" + lr + "), got " + lrMin);
    }
    c.halfOpen("momentum", momentum, 0, 1);
    c.finiteAtLeast("weight-decay", weightDecay, 0);
    c.atLeast("steps-per-round", stepsPerRound, 1);
    c.atLeast("checkpoint-every", checkpointEvery, 1);
    c.atLeast("eval-every", evalEvery, 0);
    c.atLeast("train-images", trainImages, 0);
    c.atLeast("held-out", heldOut, 0);
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

  static TrainConfig read(SectionReader r) {
    return new TrainConfig(r.choice("mode", Mode.class), r.integer("epochs"),
        r.integer("batch-size"), r.integer("workers"), r.integer("micro-batch"), r.bool("resume"),
        r.bool("fresh-start-if-unreadable"), r.longInteger("seed"),
        r.number("lr"), r.number("lr-min"), r.number("momentum"), r.number("weight-decay"),
        r.integer("steps-per-round"), r.integer("checkpoint-every"), r.integer("eval-every"),
        r.integer("train-images"), r.integer("held-out"), r.bool("augment"));
  }

  Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("mode", mode.configName());
    m.put("epochs", epochs);
    m.put("batch-size", batchSize);
    m.put("workers", workers);
    m.put("micro-batch", microBatch);
    m.put("resume", resume);
    m.put("fresh-start-if-unreadable", freshStartIfUnreadable);
    m.put("seed", seed);
    m.put("lr", lr);
    m.put("lr-min", lrMin);
    m.put("momentum", momentum);
    m.put("weight-decay", weightDecay);
    m.put("steps-per-round", stepsPerRound);
    m.put("checkpoint-every", checkpointEvery);
    m.put("eval-every", evalEvery);
    m.put("train-images", trainImages);
    m.put("held-out", heldOut);
    m.put("augment", augment);
    return m;
  }
}
