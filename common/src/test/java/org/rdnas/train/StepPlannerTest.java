package org.rdnas.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.rdnas.config.DistillConfig;
import org.rdnas.config.TrainConfig;
import org.rdnas.space.Arch;
import org.rdnas.space.Nb201Space;

class StepPlannerTest {
  static StepPlanner rdnas(long seed) {
    TrainConfig t = Fixtures.train(TrainConfig.Mode.RDNAS, 4, 16, 0.05, seed, true);
    DistillConfig d = Fixtures.distill(DistillConfig.Schedule.SIN, DistillConfig.Margin.GROUP_DISTANCE);
    return StepPlanner.rdnas(t, 70, 8, d, Fixtures.flopsTeacher(100, 1),
        MarginRankingLoss.of(d.margin()), Fixtures.NB201, false);
  }

  @Test
  void epochsVisitEveryImageAtMostOnceAndDropTheLastPartialBatch() {
    StepPlanner p = rdnas(3);
    assertEquals(4, p.stepsPerEpoch()); // 70 / 16, the last 6 images dropped
    assertEquals(16, p.totalSteps());
    for (int epoch = 0; epoch < 4; epoch++) {
      Set<Integer> seen = new HashSet<>();
      for (int k = 0; k < 4; k++) {
        StepPlan plan = p.plan(epoch * 4L + k);
        assertEquals(epoch, plan.epoch());
        assertEquals(16, plan.batchSize());
        for (int i : plan.indices()) {
          assertTrue(i >= 0 && i < 70);
          assertTrue(seen.add(i), "image " + i + " twice in epoch " + epoch);
        }
      }
      assertEquals(64, seen.size());
    }
    assertNotEquals(Arrays.toString(p.plan(0).indices()), Arrays.toString(p.plan(4).indices()),
        "each epoch has its own order");
    assertThrows(IllegalArgumentException.class, () -> p.plan(16));
  }

  @Test
  void plansAreAFunctionOfTheStepAlone() {
    StepPlanner p = rdnas(3);
    StepPlanner q = rdnas(3);
    for (long s : new long[] {9, 0, 15, 4, 9}) {
      assertEquals(p.plan(s), q.plan(s));
    }
    assertNotEquals(p.plan(5), rdnas(4).plan(5));
    StepPlan plan = p.plan(9);
    assertEquals(TrainConfig.Mode.RDNAS, plan.mode());
    assertTrue(plan.archIdB() >= 0 && plan.preferred() != null);
    assertEquals(-1, plan.archIdRandom(), "no sandwich on NAS-Bench-201");
    assertEquals(new LambdaSchedule(DistillConfig.Schedule.SIN, 2, 4).at(2), plan.lambda(), 0);
    double gd = Nb201Space.groupDistance(Arch.fromId(plan.archIdA()), Arch.fromId(plan.archIdB()));
    assertEquals(0.1 * gd / 12, plan.margin(), 1e-12);
    assertEquals(new CosineLr(0.05, 0.005, 4).at(2), p.learningRate(9), 0);
    assertTrue(plan.augment());
  }

  @Test
  void sposPlansOneUniformSubnet() {
    TrainConfig t = Fixtures.train(TrainConfig.Mode.SPOS, 2, 10, 0.05, 1, false);
    StepPlanner p = StepPlanner.spos(t, 40, 10, Fixtures.NO_NONE);
    Set<Long> archs = new HashSet<>();
    for (long s = 0; s < 8; s++) {
      StepPlan plan = p.plan(s);
      assertEquals(-1, plan.archIdB());
      assertNull(plan.preferred());
      assertEquals(0, plan.lambda());
      assertEquals(1, plan.microBatches());
      assertTrue(Nb201Space.withoutNone().contains(Arch.fromId(plan.archIdA())));
      archs.add(plan.archIdA());
    }
    assertTrue(archs.size() > 5);
    assertThrows(IllegalArgumentException.class,
        () -> StepPlanner.spos(Fixtures.train(TrainConfig.Mode.RDNAS, 2, 10, 0.05, 1, false), 40, 10,
            Fixtures.NO_NONE));
    assertThrows(IllegalArgumentException.class, () -> StepPlanner.spos(t, 9, 10,
        Fixtures.NO_NONE));
  }

  @Test
  void microBatchesSplitEvenlyOverWorkers() {
    StepPlan plan = new StepPlan(0, 0, TrainConfig.Mode.SPOS, 5, -1, -1, null, 0, 0,
        new int[] {9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 10}, 3, false, 0);
    assertEquals(4, plan.microBatches());
    assertArrayEquals(new int[] {9, 8, 7}, plan.microBatchIndices(0));
    assertArrayEquals(new int[] {0, 10}, plan.microBatchIndices(3));
    assertArrayEquals(new int[] {0, 4}, plan.microBatchRange(0, 1));
    assertArrayEquals(new int[] {0, 2}, plan.microBatchRange(0, 2));
    assertArrayEquals(new int[] {2, 4}, plan.microBatchRange(1, 2));
    assertArrayEquals(new int[] {0, 1}, plan.microBatchRange(0, 3));
    assertArrayEquals(new int[] {1, 2}, plan.microBatchRange(1, 3));
    assertArrayEquals(new int[] {2, 4}, plan.microBatchRange(2, 3));
    // more workers than micro-batches: some get none
    int covered = 0;
    for (int w = 0; w < 6; w++) {
      int[] r = plan.microBatchRange(w, 6);
      covered += r[1] - r[0];
    }
    assertEquals(4, covered);
    assertEquals(2, StepPlanner.defaultMicroBatch(3, 2));
    assertEquals(32, StepPlanner.defaultMicroBatch(64, 2));
  }
}
