package org.rdnas.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.rdnas.config.TrainConfig;
import org.rdnas.nn.Autograd;
import org.rdnas.nn.CellConvention;
import org.rdnas.nn.CrossEntropy;
import org.rdnas.nn.ForwardOptions;
import org.rdnas.nn.Nb201Network;
import org.rdnas.nn.Nb201Supernet;
import org.rdnas.nn.NetworkConfig;
import org.rdnas.nn.ParamSpec;
import org.rdnas.nn.Weights;
import org.rdnas.space.Arch;
import org.rdnas.space.Nb201Space;
import org.rdnas.testing.NdLeakCheck;

@ExtendWith({NdLeakCheck.class, OneThread.class})
class ParamSliceTest {
  static final Nb201Network NET = TrainingRunTest.NET;
  static final Nb201Supernet SUPER = new Nb201Supernet(NET);

  static StepPlan plan(TrainConfig.Mode mode, Arch a, Arch b) {
    return new StepPlan(0, 0, mode, a.id(), b == null ? -1 : b.id(), -1,
        b == null ? null : Preference.A, b == null ? 0 : 1.0, 0, new int[] {0, 1, 2, 3, 4, 5}, 3,
        false, 7);
  }

  @Test
  void aSliceIsTheUnionOfItsSubnetsParametersInNetworkOrder() {
    Arch a = Arch.parse("|nor_conv_3x3~0|+|skip_connect~0|avg_pool_3x3~1|+|none~0|nor_conv_1x1~1|skip_connect~2|");
    Arch b = Arch.parse("|nor_conv_1x1~0|+|nor_conv_3x3~0|avg_pool_3x3~1|+|none~0|nor_conv_1x1~1|nor_conv_3x3~2|");
    ParamSlice pair = ParamSlice.of(SUPER, plan(TrainConfig.Mode.RDNAS, a, b));
    Set<String> expected = new HashSet<>();
    NET.parameters(a).forEach(p -> expected.add(p.name()));
    NET.parameters(b).forEach(p -> expected.add(p.name()));
    List<String> names = pair.specs().stream().map(ParamSpec::name).toList();
    assertEquals(expected, new HashSet<>(names));
    List<String> networkOrder = NET.parameters().stream().map(ParamSpec::name)
        .filter(expected::contains).toList();
    assertEquals(networkOrder, names);
    assertEquals(pair.specs().stream().mapToLong(ParamSpec::size).sum(), pair.size());
    assertEquals(NET.parameters().stream().mapToLong(ParamSpec::size).sum(), pair.fullSize());

    ParamSlice alone = ParamSlice.of(SUPER, plan(TrainConfig.Mode.SPOS, a, null));
    assertTrue(alone.size() < pair.size(), alone + " vs " + pair);
    assertEquals(alone, new ParamLayout(SUPER).slice(a.id()));
    assertNotEquals(alone, pair);
  }

  @Test
  void gatherAndScatterMoveTheSlicesValuesAndNothingElse() {
    Arch a = Arch.parse("|nor_conv_3x3~0|+|skip_connect~0|nor_conv_1x1~1|+|none~0|avg_pool_3x3~1|skip_connect~2|");
    ParamSlice s = ParamSlice.of(SUPER, plan(TrainConfig.Mode.SPOS, a, null));
    float[] full = new float[s.fullSize()];
    for (int i = 0; i < full.length; i++) {
      full[i] = i + 1;
    }
    float[] back = s.scatter(s.gather(full));
    Set<String> used = new HashSet<>();
    s.specs().forEach(p -> used.add(p.name()));
    int off = 0;
    int kept = 0;
    for (ParamSpec p : NET.parameters()) {
      for (int i = 0; i < p.size(); i++, off++) {
        assertEquals(used.contains(p.name()) ? full[off] : 0f, back[off], p.name());
        kept += used.contains(p.name()) ? 1 : 0;
      }
    }
    assertEquals(s.size(), kept);

    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> s.gather(new float[3]));
    assertTrue(e.getMessage().contains("3 values"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> s.scatter(new float[s.size() + 1]));
    assertTrue(e.getMessage().contains("values have " + (s.size() + 1)), e.getMessage());
  }

  @Test
  void theSlicesGradientIsTheWholeNetworksGradientWhereItIsNotZero(NDManager m) {
    // An independent backward over every parameter of the supernet: whatever lies outside the
    // slice must get no gradient, and what lies inside must match the worker's sums.
    Arch a = Arch.parse("|nor_conv_3x3~0|+|skip_connect~0|nor_conv_1x1~1|+|none~0|avg_pool_3x3~1|nor_conv_3x3~2|");
    StepPlan p = plan(TrainConfig.Mode.SPOS, a, null);
    GradientWorker worker = new GradientWorker(SUPER, TrainingRunTest.ASSEMBLER);
    float[] w = TrainingState.initialWeights(m, SUPER, 3);
    ParamSlice slice = worker.slice(p);
    float[] fromSlice = slice.scatter(worker.computeSlice(m, slice.gather(w), p, 0, 1).gradient());

    float[] whole = new float[w.length];
    try (NDManager scope = m.newSubManager();
        Weights all = Weights.fromFlat(scope, NET.parameters(), w, DataType.FLOAT32)) {
      List<NDArray> leaves = new java.util.ArrayList<>(all.arrays());
      try (Autograd.Scope g = Autograd.enable()) {
        Autograd.requireGrad(leaves);
        for (int j = 0; j < p.microBatches(); j++) {
          int[] idx = p.microBatchIndices(j);
          NDList batch = TrainingRunTest.ASSEMBLER.toNDList(scope, idx, false, p.augmentSeed(), 0);
          NDArray ce = CrossEntropy.mean(NET.forward(all, a, batch.get(0), ForwardOptions.train()),
              batch.get(1));
          Autograd.backward(Autograd.times(ce, idx.length));
        }
      }
      int off = 0;
      for (ParamSpec q : NET.parameters()) {
        float[] v = Autograd.gradient(all.get(q.name()), scope, NET.reached(a, q)).toFloatArray();
        System.arraycopy(v, 0, whole, off, v.length);
        off += v.length;
      }
    }
    int nonzero = 0;
    for (int i = 0; i < whole.length; i++) {
      assertEquals(whole[i], fromSlice[i], 1e-5f + 1e-4f * Math.abs(whole[i]), "parameter value " + i);
      nonzero += whole[i] != 0 ? 1 : 0;
    }
    assertTrue(nonzero > 100, nonzero + " nonzero gradients");
    assertArrayEquals(fromSlice, worker.compute(m, w, p, 0, 1).gradient());
    assertThrows(IllegalArgumentException.class, () -> worker.computeSlice(m, w, p, 0, 1));
  }

  @Test
  void aPairOfBenchmarkSubnetsUsesUnderHalfTheSupernet() {
    // The figure the step's traffic rests on: C = 16, N = 5, as deploy/bench/train-step runs.
    Nb201Network bench = Nb201Network.of(new NetworkConfig(16, 5, 3, 10, CellConvention.SEARCH));
    ParamLayout layout = new ParamLayout(new Nb201Supernet(bench));
    SplittableRandom rng = new SplittableRandom(1);
    Nb201Space space = Nb201Space.withoutNone();
    double sum = 0;
    int pairs = 200;
    for (int i = 0; i < pairs; i++) {
      ParamSlice s = layout.slice(space.sampleOne(rng).id(), space.sampleOne(rng).id());
      sum += (double) s.size() / s.fullSize();
    }
    double mean = sum / pairs;
    // Each edge keeps its 3x3 conv (90% of an edge's parameters) with probability 1 - (3/4)^2.
    assertTrue(mean > 0.4 && mean < 0.5, "mean share " + mean);
  }
}
