package org.rdnas.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.rdnas.data.BatchAssembler;
import org.rdnas.data.ImageDataset;
import org.rdnas.data.SyntheticImages;
import org.rdnas.nn.BnStats;
import org.rdnas.nn.ForwardOptions;
import org.rdnas.nn.Nb201Network;
import org.rdnas.nn.Nb201Supernet;
import org.rdnas.nn.Weights;
import org.rdnas.space.Arch;
import org.rdnas.testing.NdLeakCheck;

@ExtendWith({NdLeakCheck.class, OneThread.class})
class SubnetEvaluatorTest {
  static final Nb201Network NET = Fixtures.TINY;
  static final Nb201Supernet SUPER = new Nb201Supernet(NET);
  static final ImageDataset.Split SPLIT = SyntheticImages.standard().generate(150, 4).split(50, 1);
  static final BatchAssembler TRAIN = BatchAssembler.standard(SPLIT.train());
  static final BatchAssembler HELD_OUT = BatchAssembler.standard(SPLIT.heldOut());
  static final Arch ARCH = Arch.parse(
      "|nor_conv_3x3~0|+|nor_conv_1x1~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_1x1~2|");

  @Test
  void batchStatisticsAccuracyCountsCorrectTop1OverConsecutiveBatches(NDManager m) {
    float[] w = TrainingState.initialWeights(m, SUPER, 3);
    // 50 held-out images in batches of 16, 16, 16, 2
    double acc = new SubnetEvaluator(SUPER, HELD_OUT, 16).accuracy(m, w, ARCH.id());
    long correct = 0;
    double lossSum = 0;
    try (NDManager s = m.newSubManager();
        Weights weights = Weights.fromFlat(s, NET.parameters(), w, DataType.FLOAT32)) {
      for (int from = 0; from < 50; from += 16) {
        int[] idx = new int[Math.min(16, 50 - from)];
        for (int i = 0; i < idx.length; i++) {
          idx[i] = from + i;
        }
        NDList b = HELD_OUT.toNDList(s, idx, false, 0, 0);
        float[] logits = NET.forward(weights, ARCH, b.get(0), ForwardOptions.train()).toFloatArray();
        long[] labels = b.get(1).toLongArray();
        for (int i = 0; i < idx.length; i++) {
          double max = Double.NEGATIVE_INFINITY;
          for (int c = 0; c < 10; c++) {
            max = Math.max(max, logits[i * 10 + c]);
          }
          double z = 0;
          for (int c = 0; c < 10; c++) {
            z += Math.exp(logits[i * 10 + c] - max);
          }
          lossSum += max + Math.log(z) - logits[i * 10 + (int) labels[i]];
          int best = 0;
          for (int c = 1; c < 10; c++) {
            if (logits[i * 10 + c] > logits[i * 10 + best]) {
              best = c;
            }
          }
          correct += best == labels[i] ? 1 : 0;
        }
      }
    }
    assertEquals(correct / 50.0, acc, 1e-12);
    assertEquals(lossSum / 50, new SubnetEvaluator(SUPER, HELD_OUT, 16).evaluate(m, w, ARCH.id(), null)
        .loss(), 1e-5, "mean cross-entropy over the 50 images");
    assertEquals(acc, new SubnetEvaluator(SUPER, HELD_OUT, 16).accuracy(m, w, ARCH.id()));
  }

  @Test
  void recalibrationTracksEqualWeightStatisticsThenUsesThem(NDManager m) {
    float[] w = TrainingState.initialWeights(m, SUPER, 3);
    SubnetEvaluator eval = new SubnetEvaluator(SUPER, HELD_OUT, 25);
    // 3 batches of 40 out of 100 training images: the permutation wraps around.
    SubnetEvaluator.Recalibration recal = new SubnetEvaluator.Recalibration(TRAIN, 3, 40, 8);
    double acc = eval.evaluate(m, w, ARCH.id(), recal).accuracy();
    assertTrue(acc >= 0 && acc <= 1);
    assertEquals(acc, eval.evaluate(m, w, ARCH.id(), recal).accuracy(), "the same batches for every call");
    // The same by hand: cumulative statistics over the three batches, then eval mode.
    long correct = 0;
    try (NDManager s = m.newSubManager();
        Weights weights = Weights.fromFlat(s, NET.parameters(), w, DataType.FLOAT32);
        BnStats stats = BnStats.cumulative(s)) {
      for (int k = 0; k < 3; k++) {
        NDList b = TRAIN.toNDList(s, recal.batch(k), false, 0, 0);
        NET.forward(weights, ARCH, b.get(0), ForwardOptions.train().optBnStats(stats, BnStats.Mode.TRACK));
      }
      int[] all = new int[50];
      for (int i = 0; i < 50; i++) {
        all[i] = i;
      }
      NDList b = HELD_OUT.toNDList(s, all, false, 0, 0);
      NDArray predicted = NET.forward(weights, ARCH, b.get(0),
          ForwardOptions.train().optBnStats(stats, BnStats.Mode.USE)).argMax(1);
      long[] p = predicted.toLongArray();
      long[] labels = b.get(1).toLongArray();
      for (int i = 0; i < 50; i++) {
        correct += p[i] == labels[i] ? 1 : 0;
      }
    }
    assertEquals(correct / 50.0, acc, 1e-12);
    // Every training image is used once before any repeats.
    java.util.Set<Integer> first = new java.util.HashSet<>();
    for (int k = 0; k < 2; k++) {
      for (int i : recal.batch(k)) {
        first.add(i);
      }
    }
    assertEquals(80, first.size());
  }

  @Test
  void badArgumentsAreRejected(NDManager m) {
    assertThrows(IllegalArgumentException.class, () -> new SubnetEvaluator(SUPER, HELD_OUT, 0));
    assertThrows(IllegalArgumentException.class,
        () -> new SubnetEvaluator.Recalibration(TRAIN, 0, 10, 1));
    SubnetEvaluator eval = new SubnetEvaluator(SUPER, HELD_OUT, 16);
    assertThrows(IllegalArgumentException.class, () -> eval.accuracy(m, new float[3], ARCH.id()));
  }
}
