package org.rdnas.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.Arrays;
import java.util.Objects;
import org.rdnas.config.EvalConfig;
import java.util.SplittableRandom;
import org.rdnas.data.BatchAssembler;
import org.rdnas.nn.Autograd;
import org.rdnas.nn.BnStats;
import org.rdnas.nn.CrossEntropy;
import org.rdnas.nn.ForwardOptions;
import org.rdnas.nn.Supernet;
import org.rdnas.nn.Weights;
import org.rdnas.util.Seeds;

/**
 * Top-1 accuracy and mean cross-entropy of a subnet with the supernet's shared weights on held-out
 * images, in consecutive
 * batches of {@code batchSize} (the last may be shorter), without augmentation. BN either normalises
 * each test batch with its own statistics (the authors' protocol) or is recalibrated first: running
 * statistics averaged equally over a few training batches (the same batches for every subnet, so
 * subnets are compared on equal terms), then used on the test batches. Thread-safe.
 */
public final class SubnetEvaluator {
  private static final long RECAL_TAG = Seeds.hash("rdnas.train.bn-recalibration");

  private final Supernet network;
  private final BatchAssembler heldOut;
  private final int batchSize;
  private final ParamLayout layout;

  /**
   * BN recalibration: {@code batches} batches of {@code batchSize} images of {@code train} (no
   * augmentation), drawn without replacement by {@code seed} (wrapping around when the dataset is
   * smaller).
   */
  public record Recalibration(BatchAssembler train, int batches, int batchSize, long seed) {
    /** Training images whose BN statistics a recalibrated evaluation averages, at most. */
    public static final int IMAGES = 1024;

    public Recalibration {
      Objects.requireNonNull(train, "train");
      if (batches < 1 || batchSize < 1) {
        throw new IllegalArgumentException("recalibration needs >= 1 batch of >= 1 image, got "
            + batches + " x " + batchSize);
      }
    }

    /**
     * The recalibration {@code eval} asks for over {@code train}: {@link #IMAGES} images (or all
     * there are) in batches of the eval batch size, drawn by the eval seed; null when
     * {@code rdnas.eval.bn-recalibration} is off (BN on the test batches' statistics).
     */
    public static Recalibration of(EvalConfig eval, BatchAssembler train) {
      if (!eval.bnRecalibration()) {
        return null;
      }
      int images = images(train.data().size());
      int batch = Math.min(eval.batchSize(), images);
      return new Recalibration(train, (images + batch - 1) / batch, batch, eval.seed());
    }

    /** The images a recalibration averages over {@code trainImages} training images. */
    public static int images(int trainImages) {
      return Math.min(IMAGES, trainImages);
    }

    int[] batch(int k) {
      int n = train.data().size();
      int[] perm = new int[n];
      Arrays.setAll(perm, i -> i);
      SplittableRandom rng = new SplittableRandom(Seeds.mix(seed, RECAL_TAG));
      for (int i = n - 1; i > 0; i--) {
        int j = rng.nextInt(i + 1);
        int t = perm[i];
        perm[i] = perm[j];
        perm[j] = t;
      }
      int[] out = new int[batchSize];
      for (int i = 0; i < batchSize; i++) {
        out[i] = perm[(int) (((long) k * batchSize + i) % n)];
      }
      return out;
    }
  }

  /**
   * A subnet's result on the held-out images.
   *
   * @param accuracy top-1 accuracy, 0..1
   * @param loss mean cross-entropy
   */
  public record Result(double accuracy, double loss) {}

  public SubnetEvaluator(Supernet network, BatchAssembler heldOut, int batchSize) {
    this.network = Objects.requireNonNull(network, "network");
    this.heldOut = Objects.requireNonNull(heldOut, "heldOut");
    if (batchSize < 1) {
      throw new IllegalArgumentException("eval batch size must be >= 1, got " + batchSize);
    }
    if (heldOut.data().size() == 0) {
      throw new IllegalArgumentException("no held-out images to evaluate on");
    }
    this.batchSize = batchSize;
    this.layout = new ParamLayout(network);
  }

  /** Accuracy (0..1) of arch {@code arch} with the flat supernet {@code weights}, BN on batch statistics. */
  public double accuracy(NDManager parent, float[] weights, long arch) {
    return evaluate(parent, weights, arch, null).accuracy();
  }

  /**
   * Accuracy and loss of {@code arch} with the flat supernet {@code weights}, BN recalibrated by
   * {@code recal} first, or on batch statistics when {@code recal} is null.
   */
  public Result evaluate(NDManager parent, float[] weights, long arch, Recalibration recal) {
    ParamSlice slice = layout.slice(arch);
    // Forward only: no graph is recorded, which also lets the network take its graph-free paths.
    try (Autograd.Scope noGraph = Autograd.disable();
        NDManager scope = parent.newSubManager();
        Weights w = Weights.fromFlat(scope, slice.specs(), slice.gather(weights), DataType.FLOAT32);
        BnStats stats = BnStats.cumulative(scope)) {
      ForwardOptions test = ForwardOptions.train();
      if (recal != null) {
        ForwardOptions track = ForwardOptions.train().optBnStats(stats, BnStats.Mode.TRACK);
        for (int k = 0; k < recal.batches(); k++) {
          try (NDManager mb = scope.newSubManager()) {
            NDList batch = recal.train().toNDList(mb, recal.batch(k), false, 0, 0);
            network.forward(w, arch, batch.get(0), track);
          }
        }
        test = ForwardOptions.train().optBnStats(stats, BnStats.Mode.USE);
      }
      int n = heldOut.data().size();
      long correct = 0;
      double lossSum = 0;
      for (int from = 0; from < n; from += batchSize) {
        int[] idx = new int[Math.min(batchSize, n - from)];
        Arrays.setAll(idx, i -> i);
        for (int i = 0; i < idx.length; i++) {
          idx[i] += from;
        }
        try (NDManager mb = scope.newSubManager()) {
          NDList batch = heldOut.toNDList(mb, idx, false, 0, 0);
          NDArray logits = network.forward(w, arch, batch.get(0), test);
          NDArray predicted = logits.argMax(1);
          correct += predicted.eq(batch.get(1).toType(predicted.getDataType(), false))
              .sum().toType(DataType.INT64, false).getLong();
          lossSum += CrossEntropy.perSample(logits, batch.get(1)).sum()
              .toType(DataType.FLOAT64, false).getDouble();
        }
      }
      return new Result((double) correct / n, lossSum / n);
    }
  }
}
