package org.rdnas.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.rdnas.config.DistillConfig;
import org.rdnas.config.TrainConfig;
import org.rdnas.data.BatchAssembler;
import org.rdnas.data.ImageDataset;
import org.rdnas.data.SyntheticImages;
import org.rdnas.nn.CrossEntropy;
import org.rdnas.nn.ForwardOptions;
import org.rdnas.nn.Nb201Network;
import org.rdnas.nn.Nb201Supernet;
import org.rdnas.nn.ParamSpec;
import org.rdnas.nn.Weights;
import org.rdnas.space.Arch;
import org.rdnas.space.Nb201Space;
import org.rdnas.testing.NdLeakCheck;

@ExtendWith({NdLeakCheck.class, OneThread.class})
class TrainingRunTest {
  static final Nb201Network NET = Fixtures.TINY;
  static final Nb201Supernet SUPER = new Nb201Supernet(NET);
  static final ImageDataset DATA = SyntheticImages.standard().generate(320, 11);
  static final BatchAssembler ASSEMBLER = BatchAssembler.standard(DATA);
  static final DistillConfig DISTILL =
      Fixtures.distill(DistillConfig.Schedule.CONSTANT, DistillConfig.Margin.GROUP_DISTANCE);
  static final Teacher TEACHER = Fixtures.flopsTeacher(150, 2);

  static StepPlanner rdnas(int epochs, int batch, int trainSize, int microBatch, double lr) {
    TrainConfig t = Fixtures.train(TrainConfig.Mode.RDNAS, epochs, batch, lr, 5, true);
    return StepPlanner.rdnas(t, trainSize, microBatch, DISTILL, TEACHER,
        MarginRankingLoss.of(DISTILL.margin()), Fixtures.NB201, false);
  }

  /** As {@link #rdnas} with K = {@code stepsPerRound} steps per round. */
  static StepPlanner rdnasRounds(int epochs, int batch, int trainSize, int microBatch, double lr,
      int stepsPerRound) {
    TrainConfig t = Fixtures.train(TrainConfig.Mode.RDNAS, epochs, batch, lr, 5, true,
        stepsPerRound);
    return StepPlanner.rdnas(t, trainSize, microBatch, DISTILL, TEACHER,
        MarginRankingLoss.of(DISTILL.margin()), Fixtures.NB201, false);
  }

  static TrainingRun trainer(NDManager m, StepPlanner planner, int workers) {
    return resumed(m, TrainingState.start(m, SUPER, planner), workers);
  }

  static TrainingRun resumed(NDManager m, TrainingState state, int workers) {
    return TrainingRun.builder(state,
        new LocalWorkers(m, new GradientWorker(SUPER, ASSEMBLER), workers)).build();
  }

  static double distance(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += (double) (a[i] - b[i]) * (a[i] - b[i]);
    }
    return Math.sqrt(s);
  }

  static float maxRelativeDifference(float[] a, float[] b) {
    assertEquals(a.length, b.length);
    float max = 0;
    for (int i = 0; i < a.length; i++) {
      max = Math.max(max, Math.abs(a[i] - b[i]) / Math.max(1e-3f, Math.abs(a[i])));
    }
    return max;
  }

  @Test
  void oneAndTwoWorkersGiveTheSameWeights(NDManager m) {
    // 16-image batches in 2 micro-batches of 8, 2 steps per epoch: 3 steps cross an epoch boundary.
    // W=3 leaves one worker without a micro-batch.
    StepPlanner planner = rdnas(2, 16, 32, 8, 0.05);
    TrainingRun one = trainer(m, planner, 1);
    TrainingRun two = trainer(m, planner, 2);
    TrainingRun three = trainer(m, planner, 3);
    for (int s = 0; s < 3; s++) {
      StepMetrics a = one.round().get(0);
      StepMetrics b = two.round().get(0);
      StepMetrics c = three.round().get(0);
      assertEquals(a.ceA(), b.ceA(), 1e-5);
      assertEquals(a.ceB(), b.ceB(), 1e-5);
      assertEquals(a.rank(), b.rank(), 1e-5);
      assertEquals(a.ceA(), c.ceA(), 1e-5);
    }
    float[] w1 = one.state().weights();
    float[] w2 = two.state().weights();
    float[] w3 = three.state().weights();
    assertTrue(maxRelativeDifference(w1, w2) < 1e-4, "W=1 vs W=2: " + maxRelativeDifference(w1, w2));
    assertTrue(maxRelativeDifference(w1, w3) < 1e-4, "W=1 vs W=3: " + maxRelativeDifference(w1, w3));
    float[] start = TrainingState.initialWeights(m, SUPER, 5);
    assertTrue(maxRelativeDifference(start, w1) > 1e-2, "the weights moved");
  }

  @Test
  void workerShardsSumToTheWholeBatchAndLeaveUnusedParametersAtZero(NDManager m) {
    StepPlanner planner = rdnas(1, 16, 72, 8, 0.05);
    StepPlan plan = planner.plan(0);
    GradientWorker worker = new GradientWorker(SUPER, ASSEMBLER);
    float[] w = TrainingState.initialWeights(m, SUPER, 5);
    GradientSum whole = worker.compute(m, w, plan, 0, 1);
    GradientSum parts = worker.compute(m, w, plan, 0, 2).add(worker.compute(m, w, plan, 1, 2));
    assertEquals(16, whole.count());
    assertEquals(16, parts.count());
    assertEquals(whole.ceASum(), parts.ceASum(), 1e-4);
    assertEquals(whole.rankSum(), parts.rankSum(), 1e-4);
    float[] g1 = whole.gradient();
    float[] g2 = parts.gradient();
    float scale = 0;
    for (float v : g1) {
      scale = Math.max(scale, Math.abs(v));
    }
    for (int i = 0; i < g1.length; i++) {
      assertEquals(g1[i], g2[i], 1e-5f * scale, "parameter " + i);
    }
    Set<String> used = new HashSet<>();
    NET.parameters(Arch.fromId(plan.archIdA())).forEach(p -> used.add(p.name()));
    NET.parameters(Arch.fromId(plan.archIdB())).forEach(p -> used.add(p.name()));
    int off = 0;
    int nonzeroUsed = 0;
    for (ParamSpec p : NET.parameters()) {
      for (int i = 0; i < p.size(); i++) {
        if (!used.contains(p.name())) {
          assertEquals(0f, g1[off + i], p.name());
        } else if (g1[off + i] != 0) {
          nonzeroUsed++;
        }
      }
      off += (int) p.size();
    }
    assertTrue(nonzeroUsed > 100);
    // Shards are pure: the same call gives the same bits.
    assertArrayEquals(g1, worker.compute(m, w, plan, 0, 1).gradient());
  }

  @Test
  void parametersOnDeadEdgesGetZeroGradient(NDManager m) {
    // Node 1's conv feeds nothing (its outgoing edges are none): no gradient reaches it.
    Arch dead = Arch.parse("|nor_conv_3x3~0|+|none~0|none~1|+|skip_connect~0|none~1|none~2|");
    StepPlan plan = new StepPlan(0, 0, TrainConfig.Mode.SPOS, dead.id(), -1, -1, null, 0, 0,
        new int[] {0, 1, 2, 3}, 4, false, 0);
    float[] g = new GradientWorker(SUPER, ASSEMBLER)
        .compute(m, TrainingState.initialWeights(m, SUPER, 5), plan, 0, 1).gradient();
    int off = 0;
    int live = 0;
    for (ParamSpec p : NET.parameters()) {
      for (int i = 0; i < p.size(); i++) {
        if (p.edge() >= 0) {
          assertEquals(0f, g[off + i], p.name());
        } else if (g[off + i] != 0) {
          live++;
        }
      }
      off += (int) p.size();
    }
    assertTrue(live > 100);
  }

  @Test
  void rankingLossGradientReachesOnlyTheStepsBSubnet(NDManager m) {
    // With lambda = 2 and a margin large enough to keep the hinge on, the gradient of the total loss
    // minus CE(a)'s and CE(b)'s is +-2 dCE(b): a's own parameters see no ranking gradient.
    StepPlanner planner = rdnas(1, 8, 72, 8, 0.05);
    StepPlan base = planner.plan(0);
    GradientWorker worker = new GradientWorker(SUPER, ASSEMBLER);
    float[] w = TrainingState.initialWeights(m, SUPER, 5);
    StepPlan on = new StepPlan(0, 0, TrainConfig.Mode.RDNAS, base.archIdA(), base.archIdB(), -1,
        base.preferred(), 2.0, 100.0, base.indices(), 8, true, base.augmentSeed());
    StepPlan off = new StepPlan(0, 0, TrainConfig.Mode.RDNAS, base.archIdA(), base.archIdB(), -1,
        base.preferred(), 0.0, 100.0, base.indices(), 8, true, base.augmentSeed());
    StepPlan bAlone = new StepPlan(0, 0, TrainConfig.Mode.SPOS, base.archIdB(), -1, -1, null, 0, 0,
        base.indices(), 8, true, base.augmentSeed());
    float[] gOn = worker.compute(m, w, on, 0, 1).gradient();
    float[] gOff = worker.compute(m, w, off, 0, 1).gradient();
    float[] gB = worker.compute(m, w, bAlone, 0, 1).gradient();
    float sign = base.preferred() == Preference.B ? 1 : -1;
    float scale = 0;
    for (float v : gB) {
      scale = Math.max(scale, Math.abs(v));
    }
    for (int i = 0; i < gOn.length; i++) {
      assertEquals(sign * 2 * gB[i], gOn[i] - gOff[i], 2e-5f * scale, "parameter " + i);
    }
  }

  @Test
  void gradientMatchesFiniteDifferencesOfTheStepLoss(NDManager m) {
    StepPlanner planner = rdnas(1, 8, 72, 8, 0.05);
    StepPlan base = planner.plan(0);
    // Margin 1 keeps the hinge on around w. One micro-batch of 8: on fewer images a BN channel of
    // tiny variance can make the loss too curved for finite differences.
    StepPlan plan = new StepPlan(0, 0, TrainConfig.Mode.RDNAS, base.archIdA(), base.archIdB(), -1,
        base.preferred(), 1.5, 1.0, base.indices(), 8, false, 0);
    GradientWorker worker = new GradientWorker(SUPER, ASSEMBLER);
    float[] w = TrainingState.initialWeights(m, SUPER, 5);
    GradientSum g = worker.compute(m, w, plan, 0, 1);
    assertTrue(g.rankSum() > 0);
    Set<String> usedByA = new HashSet<>();
    NET.parameters(Arch.fromId(plan.archIdA())).forEach(p -> usedByA.add(p.name()));
    int off = 0;
    int checked = 0;
    for (ParamSpec p : NET.parameters()) {
      boolean probe = p.name().equals("top.classifier.bias") || p.name().equals("stem.net.0.weight")
          || p.name().startsWith("stack_cell1.0.") && usedByA.contains(p.name())
          && p.name().endsWith(".weight");
      if (probe) {
        int i = off + (int) (p.size() / 2);
        double eps = 1e-3;
        float[] plus = w.clone();
        plus[i] += (float) eps;
        float[] minus = w.clone();
        minus[i] -= (float) eps;
        double numeric = (loss(m, worker, plus, plan) - loss(m, worker, minus, plan)) / (2 * eps);
        double analytic = g.gradient()[i] / g.count();
        assertEquals(numeric, analytic, 2e-3 + 0.1 * Math.abs(analytic), p.name());
        checked++;
      }
      off += (int) p.size();
    }
    assertTrue(checked >= 3);
  }

  /**
   * What the step's gradient differentiates while the hinge is on: CE(a) + CE(b) + lambda R with
   * CE(a) held fixed inside R, i.e. CE(a) + (1 +- lambda) CE(b).
   */
  static double loss(NDManager m, GradientWorker worker, float[] w, StepPlan plan) {
    GradientSum s = worker.compute(m, w, plan, 0, 1);
    double sign = plan.preferred() == Preference.B ? 1 : -1;
    return (s.ceASum() + (1 + sign * plan.lambda()) * s.ceBSum()) / s.count();
  }

  @Test
  void resumingFromACheckpointEqualsAnUninterruptedRun(NDManager m) throws IOException {
    // 3 steps per epoch over 2 epochs: the break at step 2 is mid-epoch, lr and lambda change at 3.
    StepPlanner planner = rdnas(2, 8, 24, 4, 0.05);
    TrainingRun straight = trainer(m, planner, 2);
    List<StepMetrics> all = straight.run(100);
    assertEquals(6, all.size());
    assertTrue(straight.state().done());

    TrainingRun first = trainer(m, planner, 2);
    first.run(2);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    first.state().checkpoint("{\"rdnas\":{}}").write(out);
    Checkpoint c = Checkpoint.read(new ByteArrayInputStream(out.toByteArray()), "mem:ckpt");
    assertEquals(2, c.step());
    // A fresh planner, as a restarted driver builds it.
    StepPlanner again = rdnas(2, 8, 24, 4, 0.05);
    TrainingRun resumed = resumed(m, TrainingState.resume(c, SUPER, again), 1);
    List<StepMetrics> rest = resumed.run(100);
    assertEquals(4, rest.size());
    assertEquals(all.get(5).ceA(), rest.get(3).ceA(), 1e-5);
    float diff = maxRelativeDifference(straight.state().weights(), resumed.state().weights());
    assertTrue(diff < 1e-4, "resumed vs uninterrupted: " + diff);

    // Resuming with the same worker count is bit-exact.
    TrainingRun resumedSame = resumed(m, TrainingState.resume(c, SUPER, again), 2);
    resumedSame.run(100);
    assertArrayEquals(straight.state().weights(), resumedSame.state().weights());
    assertArrayEquals(straight.state().checkpoint("").momentum(),
        resumedSame.state().checkpoint("").momentum());

    // A checkpoint from another run is refused, naming what differs.
    StepPlanner other = rdnas(2, 8, 32, 4, 0.05);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TrainingState.resume(c, SUPER, other));
    assertTrue(e.getMessage().contains("data order"), e.getMessage());
  }

  @Test
  void oneWorkerRoundsOfKStepsArePlainStepsBitForBit(NDManager m) {
    // 3 steps per epoch over 2 epochs; K = 2 gives rounds [0, 2), [2, 3), [3, 5), [5, 6) and K = 3
    // one round per epoch.
    TrainingRun plain = trainer(m, rdnas(2, 8, 24, 4, 0.05), 1);
    List<StepMetrics> expected = plain.run(100);
    for (int k : new int[] {2, 3}) {
      StepPlanner planner = rdnasRounds(2, 8, 24, 4, 0.05, k);
      TrainingRun rounds = trainer(m, planner, 1);
      List<StepMetrics> sizes = rounds.round();
      assertEquals(k, sizes.size());
      List<StepMetrics> actual = new java.util.ArrayList<>(sizes);
      actual.addAll(rounds.run(100));
      assertEquals(expected, actual, "K = " + k);
      assertArrayEquals(plain.state().weights(), rounds.state().weights(), "K = " + k);
      assertArrayEquals(plain.state().momentum(), rounds.state().momentum(), "K = " + k);
    }
  }

  @Test
  void localSgdRoundsAreDeterministicResumableAndCloseToSynchronousSteps(NDManager m)
      throws IOException {
    StepPlanner planner = rdnasRounds(2, 8, 24, 4, 0.05, 2);
    assertEquals(2, planner.roundEnd(0));
    assertEquals(2, planner.roundEnd(1));
    assertEquals(3, planner.roundEnd(2), "the last round of an epoch is shorter");
    assertEquals(5, planner.roundEnd(3));
    assertEquals(6, planner.roundEnd(5));
    TrainingRun a = trainer(m, planner, 2);
    List<StepMetrics> ma = a.run(100);
    TrainingRun b = trainer(m, planner, 2);
    b.run(2);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    b.state().checkpoint("{}").write(out);
    Checkpoint c = Checkpoint.read(new ByteArrayInputStream(out.toByteArray()), "mem:ckpt");
    TrainingRun resumed = resumed(m, TrainingState.resume(c, SUPER, rdnasRounds(2, 8, 24, 4, 0.05, 2)), 2);
    List<StepMetrics> rest = resumed.run(100);
    assertEquals(ma.subList(2, 6), rest);
    assertArrayEquals(a.state().weights(), resumed.state().weights());
    assertArrayEquals(a.state().momentum(), resumed.state().momentum());
    // W = 3 over 2 micro-batches: worker 0 has none and no weight, workers 1 and 2 compute what
    // W = 2's do.
    TrainingRun three = trainer(m, planner, 3);
    three.run(100);
    assertArrayEquals(a.state().weights(), three.state().weights());
    // Local SGD is not synchronous SGD, but it moves the weights about as far, the same way.
    float[] start = TrainingState.initialWeights(m, SUPER, 5);
    TrainingRun sync = trainer(m, rdnas(2, 8, 24, 4, 0.05), 2);
    sync.run(100);
    double apart = distance(sync.state().weights(), a.state().weights());
    double moved = distance(start, sync.state().weights());
    assertTrue(apart > 0 && apart < 0.5 * moved, "local vs synchronous " + apart + ", moved " + moved);

    // Averaging W workers' one-step updates is the synchronous step up to float rounding.
    StepPlanner k1 = rdnas(2, 8, 24, 4, 0.05);
    TrainingRun syncStep = trainer(m, k1, 2);
    syncStep.round().get(0);
    TrainingState local = TrainingState.start(m, SUPER, k1);
    RoundPlan round = local.planRound();
    GradientWorker gw = new GradientWorker(SUPER, ASSEMBLER);
    local.applyRound(round, List.of(
        LocalSgd.run(m, gw, local.weights(), local.momentum(), round, 0, 2),
        LocalSgd.run(m, gw, local.weights(), local.momentum(), round, 1, 2)));
    double oneStep = distance(start, local.weights());
    double off = distance(syncStep.state().weights(), local.weights());
    assertTrue(off < 1e-5 * oneStep, "one-step local vs synchronous " + off + ", moved " + oneStep);
  }

  @Test
  void trainingLowersTheCrossEntropyInBothModes(NDManager m) {
    // 8 epochs of 4 steps over 64 of the images; CE of three fixed subnets on those images.
    List<Arch> probes = Nb201Space.withoutNone().sample(3, 77);
    int[] idx = new int[64];
    for (int i = 0; i < idx.length; i++) {
      idx[i] = i;
    }
    DistillConfig sin = Fixtures.distill(DistillConfig.Schedule.SIN, DistillConfig.Margin.ZERO);
    for (TrainConfig.Mode mode : TrainConfig.Mode.values()) {
      TrainConfig t = Fixtures.train(mode, 8, 16, 0.3, 9, false);
      StepPlanner planner = mode == TrainConfig.Mode.SPOS
          ? StepPlanner.spos(t, 64, 16, Fixtures.NO_NONE)
          : StepPlanner.rdnas(t, 64, 16, sin, TEACHER, MarginRankingLoss.of(sin.margin()), Fixtures.NB201, false);
      TrainingRun trainer = trainer(m, planner, 1);
      float[] before = trainer.state().weights();
      List<StepMetrics> steps = trainer.run(100);
      assertEquals(32, steps.size());
      double ceBefore = meanCe(m, before, probes, idx);
      double ceAfter = meanCe(m, trainer.state().weights(), probes, idx);
      assertTrue(ceAfter < ceBefore - 0.05, mode + ": CE " + ceBefore + " -> " + ceAfter);
      for (StepMetrics s : steps) {
        assertTrue(Double.isFinite(s.loss()));
        assertEquals(s.ceA() + s.ceB() + s.lambda() * s.rank(), s.loss(), 1e-5, "the loss trained on");
        assertEquals(mode == TrainConfig.Mode.SPOS, s.b() < 0);
      }
    }
  }

  /** Mean CE of {@code archs} on the images {@code idx}, BN on batch statistics. */
  static double meanCe(NDManager m, float[] flat, List<Arch> archs, int[] idx) {
    return meanCe(m, ASSEMBLER, flat, archs, idx);
  }

  static double meanCe(NDManager m, BatchAssembler assembler, float[] flat, List<Arch> archs, int[] idx) {
    try (NDManager s = m.newSubManager();
        Weights w = Weights.fromFlat(s, NET.parameters(), flat, DataType.FLOAT32)) {
      NDList batch = assembler.toNDList(s, idx, false, 0, 0);
      double sum = 0;
      for (Arch a : archs) {
        sum += CrossEntropy.mean(NET.forward(w, a, batch.get(0), ForwardOptions.train()),
            batch.get(1)).getFloat();
      }
      return sum / archs.size();
    }
  }

  @Test
  void applyRefusesAWrongStepOrAnIncompleteBatch(NDManager m) {
    StepPlanner planner = rdnas(1, 8, 48, 4, 0.05);
    TrainingState state = TrainingState.start(m, SUPER, planner);
    StepPlan plan = state.plan();
    GradientSum half = new GradientWorker(SUPER, ASSEMBLER).compute(m, state.weights(), plan, 0, 2);
    assertThrows(IllegalArgumentException.class, () -> state.apply(plan, half));
    assertThrows(IllegalArgumentException.class, () -> state.apply(planner.plan(1),
        GradientSum.zero(state.parameterCount())));
  }
}
