package org.rdnas.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.rdnas.config.TrainConfig;
import org.rdnas.data.BatchAssembler;
import org.rdnas.data.SyntheticImages;
import org.rdnas.nn.ParamSpec;
import org.rdnas.nn.ResNet48Network;
import org.rdnas.nn.Supernet;
import org.rdnas.space.ResNet48Arch;
import org.rdnas.space.ResNet48Space;
import org.rdnas.testing.NdLeakCheck;

/**
 * The sandwich-rule step on the ResNet48 supernet, as job 2's {@link GradientWorker} computes it, at
 * toy size (32 px, a quarter of the challenge's widths, 8 images).
 */
@ExtendWith({NdLeakCheck.class, OneThread.class})
class SandwichStepTest {
  static final ResNet48Space SPACE = ResNet48Space.of(32, 10, 0.25);
  static final Supernet SUPERNET = SPACE.supernet();
  static final BatchAssembler DATA =
      BatchAssembler.standard(SyntheticImages.standard().generate(8, 3));
  static final int[] BATCH = {0, 1, 2, 3, 4, 5, 6, 7};

  static long drawn(long seed) {
    return SPACE.sampleOne(new SplittableRandom(seed));
  }

  static StepPlan rdnas(long random, double lambda, int microBatch) {
    return new StepPlan(0, 0, TrainConfig.Mode.RDNAS, drawn(2), drawn(3), random, Preference.B,
        lambda, 10, BATCH, microBatch, false, 0);
  }

  static StepPlan spos(long random, int microBatch) {
    return new StepPlan(0, 0, TrainConfig.Mode.SPOS, random, -1, -1, null, 0, 0, BATCH, microBatch,
        false, 0);
  }

  @Test
  void theSandwichEndsAreTheSpacesLargestAndSmallest() {
    ResNet48Network full = ResNet48Network.supernet(10);
    assertEquals(full.parameters().stream().mapToLong(ParamSpec::size).sum(),
        full.parameterCount(ResNet48Arch.largest()));
    assertEquals("122223" + "3333000000" + "3333000000" + "5555000000000000" + "7777000000",
        ResNet48Arch.smallest().toString());
    Supernet.Sandwich s = SUPERNET.sandwich();
    assertEquals(ResNet48Space.id(ResNet48Arch.largest()), s.largest());
    assertEquals(ResNet48Space.id(ResNet48Arch.smallest()), s.smallest());
    // The largest reads every parameter: a sandwich step ships the whole supernet.
    ParamSlice slice = ParamSlice.of(SUPERNET, spos(drawn(1), 8));
    assertEquals(slice.fullSize(), slice.size());
  }

  @Test
  void thePairReachesTheWeightsOnlyThroughTheRankLoss(NDManager m) {
    GradientWorker worker = new GradientWorker(SUPERNET, DATA);
    float[] w = TrainingState.initialWeights(m, SUPERNET, 1);
    long random = drawn(1);
    GradientSum sandwich = worker.compute(m, w, spos(random, 8), 0, 1);
    GradientSum off = worker.compute(m, w, rdnas(random, 0, 8), 0, 1);
    GradientSum on = worker.compute(m, w, rdnas(random, 1, 8), 0, 1);
    // lambda = 0: the sandwich rule alone, whatever the pair.
    assertArrayEquals(sandwich.gradient(), off.gradient());
    assertTrue(off.rankSum() > 0, "a margin of 10 keeps the ranking loss active: " + off.rankSum());
    assertTrue(Double.isFinite(off.ceASum()) && Double.isFinite(off.ceBSum()));
    assertEquals(off.ceASum(), on.ceASum(), 0);
    assertNotEquals(0, maxDifference(off.gradient(), on.gradient()), "lambda = 1 moves the gradient");
    // The reported loss is the sandwich's objective, CE(largest) + KD + KD (+ lambda R), not CE(a).
    assertEquals(sandwich.lossSum(), off.lossSum(), 1e-4);
    assertEquals(off.lossSum() + on.rankSum(), on.lossSum(), 1e-4);
    assertTrue(sandwich.lossSum() > sandwich.ceASum(), sandwich.toString());
    for (float g : on.gradient()) {
      assertTrue(Float.isFinite(g));
    }
  }

  @Test
  void workersTakingWholeMicroBatchesSumToOneWorkersStep(NDManager m) {
    GradientWorker worker = new GradientWorker(SUPERNET, DATA);
    float[] w = TrainingState.initialWeights(m, SUPERNET, 2);
    StepPlan plan = rdnas(drawn(4), 2, 4);
    GradientSum one = worker.compute(m, w, plan, 0, 1);
    GradientSum two = worker.compute(m, w, plan, 0, 2).add(worker.compute(m, w, plan, 1, 2));
    assertEquals(8, two.count());
    assertEquals(one.ceASum(), two.ceASum(), 1e-9);
    assertEquals(one.rankSum(), two.rankSum(), 1e-9);
    assertTrue(maxDifference(one.gradient(), two.gradient()) < 1e-5,
        "" + maxDifference(one.gradient(), two.gradient()));
  }

  @Test
  void theSandwichRuleFitsItsTrainingImages(NDManager m) {
    // 64 synthetic images of 10 template classes, 20 epochs of 4 steps at lr 0.01 (at 0.05 the
    // summed losses of five subnets diverge): the largest and the smallest subnets' cross-entropy
    // on those images falls well below chance, ln 10.
    BatchAssembler train = BatchAssembler.standard(SyntheticImages.standard().generate(64, 11));
    SubnetEvaluator onTrain = new SubnetEvaluator(SUPERNET, train, 32);
    TrainConfig t = Fixtures.train(TrainConfig.Mode.SPOS, 20, 16, 0.01, 4, false);
    TrainingState state = TrainingState.start(m, SUPERNET, StepPlanner.spos(t, 64, 16, SPACE));
    Supernet.Sandwich s = SUPERNET.sandwich();
    double before = onTrain.evaluate(m, state.weights(), s.largest(), null).loss();
    TrainingRun.builder(state, new LocalWorkers(m, new GradientWorker(SUPERNET, train), 1)).build()
        .run();
    double largest = onTrain.evaluate(m, state.weights(), s.largest(), null).loss();
    double smallest = onTrain.evaluate(m, state.weights(), s.smallest(), null).loss();
    assertTrue(largest < Math.log(10) - 0.4 && largest < before - 0.4, before + " -> " + largest);
    assertTrue(smallest < Math.log(10) - 0.2, "smallest " + smallest);
  }

  private static double maxDifference(float[] a, float[] b) {
    double d = 0;
    for (int i = 0; i < a.length; i++) {
      d = Math.max(d, Math.abs(a[i] - b[i]));
    }
    return d;
  }
}
