package org.rdnas.train;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Objects;
import org.rdnas.config.TrainConfig;

/**
 * Everything a worker needs for one training step besides the weights; small and the same for every
 * worker. The global batch {@link #indices()} (into the training dataset) is cut into consecutive
 * micro-batches of {@link #microBatch()} samples (the last may be shorter); each micro-batch is the
 * unit of BN batch statistics and of the ranking loss, and workers take whole micro-batches, so the
 * step computes the same thing whatever the number of workers.
 *
 * @param step global step (0-based); with {@code augmentSeed} it fixes every image's crop and flip
 * @param epoch epoch of the step (0-based)
 * @param mode RD-NAS (pair a, b) or SPOS (subnet a alone)
 * @param archIdA id of subnet a, in the space's ids ({@link org.rdnas.space.SearchSpace})
 * @param archIdB id of subnet b; -1 in SPOS mode
 * @param archIdRandom the sandwich rule's random subnet of an RD-NAS step on a supernet trained by
 *     that rule ({@link org.rdnas.nn.Supernet#sandwich()}); -1 otherwise (in SPOS mode a is the
 *     random subnet)
 * @param preferred which of a, b the teacher ranks higher; null in SPOS mode
 * @param lambda weight of the ranking loss at this epoch; 0 in SPOS mode
 * @param margin m of the margin ranking loss
 * @param indices the global batch, indices into the training dataset
 * @param microBatch samples per micro-batch
 * @param augment whether to crop and flip
 * @param augmentSeed seed of the augmentation draws
 */
public record StepPlan(long step, int epoch, TrainConfig.Mode mode, long archIdA, long archIdB,
    long archIdRandom, Preference preferred, double lambda, double margin, int[] indices, int microBatch,
    boolean augment, long augmentSeed) implements Serializable {

  public StepPlan {
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(indices, "indices");
    if (step < 0 || epoch < 0) {
      throw new IllegalArgumentException("step and epoch must be >= 0, got " + step + ", " + epoch);
    }
    if (archIdA < 0) {
      throw new IllegalArgumentException("arch id " + archIdA + " is negative");
    }
    if (mode == TrainConfig.Mode.RDNAS) {
      if (archIdB < 0) {
        throw new IllegalArgumentException("an RD-NAS step needs subnet b, got id " + archIdB);
      }
      Objects.requireNonNull(preferred, "an RD-NAS step needs the teacher's preference");
    } else if (archIdB != -1 || archIdRandom != -1 || preferred != null || lambda != 0) {
      throw new IllegalArgumentException("a SPOS step has one subnet and no ranking loss");
    }
    if (archIdRandom < -1) {
      throw new IllegalArgumentException("random subnet id " + archIdRandom + " is not an id or -1");
    }
    if (!Double.isFinite(lambda) || !Double.isFinite(margin)) {
      throw new IllegalArgumentException("lambda and margin must be finite");
    }
    if (indices.length == 0) {
      throw new IllegalArgumentException("a step needs at least one sample");
    }
    if (microBatch < 1) {
      throw new IllegalArgumentException("micro-batch must be >= 1, got " + microBatch);
    }
    indices = indices.clone();
  }

  /** The ids of every subnet the step runs besides a sandwich's fixed ones (a, then b, random). */
  public long[] archIds() {
    return java.util.stream.LongStream.of(archIdA, archIdB, archIdRandom).filter(id -> id >= 0)
        .toArray();
  }

  @Override
  public int[] indices() {
    return indices.clone();
  }

  /** Samples in the global batch. */
  public int batchSize() {
    return indices.length;
  }

  /** Number of micro-batches of the global batch. */
  public int microBatches() {
    return (indices.length + microBatch - 1) / microBatch;
  }

  /** The samples of micro-batch {@code j}. */
  public int[] microBatchIndices(int j) {
    if (j < 0 || j >= microBatches()) {
      throw new IndexOutOfBoundsException("micro-batch " + j + " of " + microBatches());
    }
    int from = j * microBatch;
    return Arrays.copyOfRange(indices, from, Math.min(indices.length, from + microBatch));
  }

  /**
   * The micro-batches of worker {@code worker} of {@code workers}: a contiguous range
   * {from, to} (to exclusive), as even as possible; empty for surplus workers.
   */
  public int[] microBatchRange(int worker, int workers) {
    if (workers < 1 || worker < 0 || worker >= workers) {
      throw new IllegalArgumentException("worker " + worker + " of " + workers);
    }
    long j = microBatches();
    return new int[] {(int) (j * worker / workers), (int) (j * (worker + 1) / workers)};
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof StepPlan p && p.step == step && p.epoch == epoch && p.mode == mode
        && p.archIdA == archIdA && p.archIdB == archIdB && p.archIdRandom == archIdRandom
        && p.preferred == preferred
        && Double.compare(p.lambda, lambda) == 0 && Double.compare(p.margin, margin) == 0
        && Arrays.equals(p.indices, indices) && p.microBatch == microBatch
        && p.augment == augment && p.augmentSeed == augmentSeed;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(step) * 31 + Arrays.hashCode(indices);
  }

  @Override
  public String toString() {
    return "StepPlan[step=" + step + ", epoch=" + epoch + ", " + mode + ", a=" + archIdA
        + (archIdB >= 0 ? ", b=" + archIdB + ", preferred=" + preferred : "")
        + (archIdRandom >= 0 ? ", random=" + archIdRandom : "") + ", lambda=" + lambda
        + ", margin=" + margin + ", batch=" + indices.length + " in " + microBatches()
        + " micro-batches]";
  }
}
