package org.rdnas.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.rdnas.space.Arch;
import org.rdnas.testing.Golden;
import org.rdnas.testing.NdLeakCheck;

@ExtendWith(NdLeakCheck.class)
class Nb201NetworkTest {
  static final Nb201Network SEARCH = Nb201Network.of(NetworkConfig.cifar10(CellConvention.SEARCH));

  @Test
  void forwardReproducesTheReferenceLogitsAndLoss(NDManager root) {
    Golden g = Golden.load();
    for (JsonNode c : g.cases()) {
      Arch arch = Golden.arch(c);
      try (NDManager m = root.newSubManager();
          Weights w = g.supernetWeights(m, SEARCH, arch, DataType.FLOAT64)) {
        NDList batch = g.npz(m, "input_batch.npz");
        NDArray x = Golden.named(batch, "x").toType(DataType.FLOAT64, false);
        NDArray y = Golden.named(batch, "y").toType(DataType.INT64, false);
        NDArray logits = SEARCH.forward(w, arch, x, ForwardOptions.train());
        double[] expected = Golden.doubles(c.get("logits_train_bn"));
        double[] actual = logits.toType(DataType.FLOAT64, false).toDoubleArray();
        assertEquals(expected.length, actual.length);
        for (int i = 0; i < actual.length; i++) {
          // Reference logits are float32; ours are float64 from the same float32 weights and inputs.
          assertEquals(expected[i], actual[i], 1e-5 * Math.max(1, Math.abs(expected[i])),
              c.get("name").asText() + " logit " + i);
        }
        double loss = CrossEntropy.mean(logits, y).getDouble();
        assertEquals(c.get("loss_ce").asDouble(), loss, 1e-6, c.get("name").asText() + " loss");
      }
    }
  }

  @Test
  void avgPoolIsTheMeanOverTheWindowsCellsInsideTheImage(NDManager m) {
    // count_include_pad=False, as the reference's avg_pool_3x3: corners average 4 cells, edges 6.
    int n = 2;
    int c = 3;
    int rows = 5;
    int cols = 7;
    float[] v = new float[n * c * rows * cols];
    java.util.SplittableRandom rng = new java.util.SplittableRandom(11);
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) rng.nextGaussian();
    }
    for (DataType type : List.of(DataType.FLOAT32, DataType.FLOAT64)) {
      try (NDManager s = m.newSubManager();
          Weights w = Weights.initialize(s, List.of(), 0, Weights.Init.PYTORCH_DEFAULT, type)) {
        NDArray h = s.create(v, new Shape(n, c, rows, cols)).toType(type, false);
        double[] got = Nb201Network.avgPool3x3(w, h).toType(DataType.FLOAT64, false).toDoubleArray();
        for (int plane = 0; plane < n * c; plane++) {
          for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
              double sum = 0;
              int cells = 0;
              for (int di = -1; di <= 1; di++) {
                for (int dj = -1; dj <= 1; dj++) {
                  if (i + di >= 0 && i + di < rows && j + dj >= 0 && j + dj < cols) {
                    sum += v[(plane * rows + i + di) * cols + j + dj];
                    cells++;
                  }
                }
              }
              double want = sum / cells;
              assertEquals(want, got[(plane * rows + i) * cols + j],
                  (type == DataType.FLOAT32 ? 1e-6 : 1e-14) * Math.max(1, Math.abs(want)),
                  type + " at plane " + plane + " (" + i + ", " + j + ")");
            }
          }
        }
      }
    }
  }

  @Test
  void skippingDeadOpsChangesNoLogitAndNoGradientBit(NDManager root) {
    // A plain forward skips ops whose output never reaches their cell's output; a watched one (an
    // observer that does nothing) runs them as the reference does. Logits and every gradient must be
    // the same floats, and the dead ops' weights must get no gradient either way.
    Nb201Network net = Nb201Network.of(new NetworkConfig(4, 2, 3, 10, CellConvention.SEARCH));
    List<Arch> archs = List.of(
        // node 2 dead (its only way out is none): edges 2<-0 and 2<-1 are dead
        Arch.parse("|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_1x1~1|+|skip_connect~0|nor_conv_3x3~1|none~2|"),
        // nodes 1 and 2 dead, node 1 all-none in
        Arch.parse("|none~0|+|avg_pool_3x3~0|nor_conv_1x1~1|+|nor_conv_3x3~0|none~1|none~2|"),
        // cell input cut off from the output: node 3 fed by a live node of zeros
        Arch.parse("|none~0|+|none~0|nor_conv_3x3~1|+|none~0|nor_conv_1x1~1|avg_pool_3x3~2|"));
    ForwardOptions watched = ForwardOptions.train().optObserver(new ForwardObserver() {});
    for (Arch a : archs) {
      try (NDManager m = root.newSubManager();
          Weights w = Weights.initialize(m, net.parameters(), 5, Weights.Init.PYTORCH_DEFAULT,
              DataType.FLOAT32)) {
        NDArray x = m.randomNormal(new Shape(6, 3, 32, 32));
        NDArray y = m.create(new long[] {0, 1, 2, 3, 4, 5});
        List<float[]> results = new java.util.ArrayList<>();
        for (ForwardOptions o : List.of(ForwardOptions.train(), watched)) {
          try (NDManager s = m.newSubManager(); Autograd.Scope g = Autograd.enable()) {
            Autograd.zeroGrad(w.arrays());
            Autograd.requireGrad(w.arrays());
            NDArray logits = net.forward(w, a, x, o);
            logits.attach(s);
            results.add(logits.toFloatArray());
            Autograd.backward(CrossEntropy.mean(logits, y));
            for (ParamSpec p : net.parameters(a)) {
              results.add(Autograd.gradient(w.get(p.name()), s, net.reached(a, p)).toFloatArray());
            }
          }
        }
        int half = results.size() / 2;
        for (int i = 0; i < half; i++) {
          assertArrayEquals(results.get(half + i), results.get(i), a + " result " + i);
        }
      }
    }
  }

  @Test
  void aPairSharesItsStemAndChangesOnlyTheStemsGradientByRounding(NDManager root) {
    // forwardPair computes the stem once for both archs: the logits are the two forwards' floats,
    // every gradient but the stem's is bit for bit the same, the stem's (both archs' summed before
    // its backward instead of after) agrees to float rounding.
    Nb201Network net = Nb201Network.of(new NetworkConfig(4, 2, 3, 10, CellConvention.SEARCH));
    Arch a = Arch.parse("|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_1x1~1|+|skip_connect~0|nor_conv_3x3~1|none~2|");
    Arch b = Arch.parse("|nor_conv_1x1~0|+|avg_pool_3x3~0|nor_conv_3x3~1|+|nor_conv_3x3~0|skip_connect~1|nor_conv_1x1~2|");
    try (NDManager m = root.newSubManager();
        Weights w = Weights.initialize(m, net.parameters(), 7, Weights.Init.PYTORCH_DEFAULT,
            DataType.FLOAT32)) {
      NDArray x = m.randomNormal(new Shape(6, 3, 32, 32));
      NDArray y = m.create(new long[] {0, 1, 2, 3, 4, 5});
      List<List<float[]>> results = new java.util.ArrayList<>();
      for (boolean pair : new boolean[] {false, true}) {
        try (NDManager s = m.newSubManager(); Autograd.Scope g = Autograd.enable()) {
          Autograd.zeroGrad(w.arrays());
          Autograd.requireGrad(w.arrays());
          NDArray[] logits = pair ? net.forwardPair(w, a, b, x, ForwardOptions.train())
              : new NDArray[] {net.forward(w, a, x, ForwardOptions.train()),
                  net.forward(w, b, x, ForwardOptions.train())};
          List<float[]> r = new java.util.ArrayList<>();
          r.add(logits[0].toFloatArray());
          r.add(logits[1].toFloatArray());
          Autograd.backward(CrossEntropy.mean(logits[0], y).add(CrossEntropy.mean(logits[1], y)));
          for (ParamSpec p : net.parameters()) {
            boolean reached = net.reached(a, p) || net.reached(b, p);
            r.add(Autograd.gradient(w.get(p.name()), s, reached).toFloatArray());
          }
          results.add(r);
        }
      }
      assertArrayEquals(results.get(0).get(0), results.get(1).get(0), "logits of a");
      assertArrayEquals(results.get(0).get(1), results.get(1).get(1), "logits of b");
      int stemGradients = 0;
      for (int i = 0; i < net.parameters().size(); i++) {
        String name = net.parameters().get(i).name();
        float[] twice = results.get(0).get(2 + i);
        float[] once = results.get(1).get(2 + i);
        if (name.startsWith("stem.")) {
          stemGradients++;
          float max = 0;
          for (float v : twice) {
            max = Math.max(max, Math.abs(v));
          }
          assertTrue(max > 0, name + " gets a gradient");
          assertArrayEquals(twice, once, 1e-5f * max, name);
        } else {
          assertArrayEquals(twice, once, name);
        }
      }
      assertEquals(3, stemGradients, "the stem's conv weight, BN weight and BN bias");
    }
  }

  @Test
  void activeParametersMatchTheReferenceKeys() {
    Golden g = Golden.load();
    for (JsonNode c : g.cases()) {
      java.util.Set<String> expected = new java.util.TreeSet<>();
      c.get("active_keys").forEach(k -> {
        String name = k.asText();
        if (!name.endsWith("running_mean") && !name.endsWith("running_var")
            && !name.endsWith("num_batches_tracked")) {
          expected.add(name);
        }
      });
      java.util.Set<String> actual = new java.util.TreeSet<>();
      SEARCH.parameters(Golden.arch(c)).forEach(p -> actual.add(p.name()));
      assertEquals(expected, actual, c.get("name").asText());
    }
  }

  @Test
  void searchConventionCountsAndFlopsMatchTheGoldenCases() {
    Golden g = Golden.load();
    Nb201Network bench = Nb201Network.of(NetworkConfig.cifar10(CellConvention.BENCHMARK));
    for (JsonNode c : g.cases()) {
      Arch a = Golden.arch(c);
      JsonNode v = c.get("values_f32");
      assertEquals(v.get("params_M").asDouble(), SEARCH.parameterCount(a) / 1e6, 5e-7);
      assertEquals(v.get("params_M_nb201").asDouble(), bench.parameterCount(a) / 1e6, 5e-7);
      assertEquals(v.get("flops_M").asDouble(), SEARCH.macs(a) / 1e6, 5e-6);
      assertEquals(v.get("flops_M_nb201").asDouble(), bench.macs(a) / 1e6, 5e-6);
    }
  }

  @Test
  void seededInitIsReproducibleAndSharedBetweenSubnetAndSupernet(NDManager m) {
    Nb201Network net = Nb201Network.of(new NetworkConfig(4, 1, 3, 10, CellConvention.SEARCH));
    Arch a = Arch.parse(
        "|nor_conv_3x3~0|+|nor_conv_1x1~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|none~2|");
    try (Weights sub = Weights.initialize(m, net.parameters(a), 5, Weights.Init.PYTORCH_DEFAULT,
            DataType.FLOAT32);
        Weights sup = Weights.initialize(m, net.parameters(), 5, Weights.Init.PYTORCH_DEFAULT,
            DataType.FLOAT32);
        Weights other = Weights.initialize(m, net.parameters(a), 6, Weights.Init.PYTORCH_DEFAULT,
            DataType.FLOAT32)) {
      List<ParamSpec> ps = net.parameters(a);
      assertArrayEquals(sub.toFlat(ps), sup.toFlat(ps));
      assertNotEquals(sub.toFlat(ps)[0], other.toFlat(ps)[0]);
      // PyTorch's default bound 1/sqrt(fan_in) holds for every conv weight.
      ParamSpec conv = net.parameter("stack_cell1.0.options.2.op.1.weight");
      float[] v = sub.get(conv.name()).toFloatArray();
      double bound = 1 / Math.sqrt(conv.fanIn());
      for (float f : v) {
        assertTrue(Math.abs(f) <= bound);
      }
    }
  }

  @Test
  void flatWeightsRoundTripAndBnStatsTrack(NDManager m) {
    Nb201Network net = Nb201Network.of(new NetworkConfig(4, 1, 3, 10, CellConvention.SEARCH));
    Arch a = Arch.parse(
        "|nor_conv_3x3~0|+|nor_conv_1x1~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|none~2|");
    List<ParamSpec> all = net.parameters();
    try (Weights w = Weights.initialize(m, all, 1, Weights.Init.PYTORCH_DEFAULT, DataType.FLOAT32);
        Weights back = Weights.fromFlat(m, all, w.toFlat(all), DataType.FLOAT32);
        BnStats stats = BnStats.create(m);
        NDManager scope = m.newSubManager()) {
      assertArrayEquals(w.toFlat(all), back.toFlat(all));
      NDArray x = scope.randomNormal(new Shape(8, 3, 32, 32));
      NDArray logits = net.forward(w, a, x, ForwardOptions.train().optBnStats(stats, BnStats.Mode.TRACK));
      assertEquals(new Shape(8, 10), logits.getShape());
      assertTrue(stats.names().contains("stack_cell1.0.options.2.op.2"));
      // Eval mode with the tracked statistics differs from batch statistics but stays finite.
      NDArray eval = net.forward(w, a, x, ForwardOptions.train().optBnStats(stats, BnStats.Mode.USE));
      assertTrue(Double.isFinite(eval.sum().getFloat()));
      assertNotEquals(logits.sum().getFloat(), eval.sum().getFloat());
    }
  }
  @Test
  void cumulativeBnStatsAverageEveryTrackedBatchEqually(NDManager m) {
    Nb201Network net = Nb201Network.of(new NetworkConfig(4, 1, 3, 10, CellConvention.SEARCH));
    Arch a = Arch.parse(
        "|nor_conv_3x3~0|+|nor_conv_1x1~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|none~2|");
    String bn = "stack_cell1.0.options.2.op.2";
    try (Weights w = Weights.initialize(m, net.parameters(), 1, Weights.Init.PYTORCH_DEFAULT,
            DataType.FLOAT32);
        BnStats cumulative = BnStats.cumulative(m);
        BnStats first = BnStats.create(m, 1.0);
        BnStats second = BnStats.create(m, 1.0);
        NDManager scope = m.newSubManager()) {
      NDArray x1 = scope.randomNormal(new Shape(6, 3, 32, 32));
      NDArray x2 = scope.randomNormal(new Shape(6, 3, 32, 32)).mul(2).add(1);
      ForwardOptions track = ForwardOptions.train();
      net.forward(w, a, x1, track.optBnStats(cumulative, BnStats.Mode.TRACK));
      net.forward(w, a, x2, track.optBnStats(cumulative, BnStats.Mode.TRACK));
      net.forward(w, a, x1, track.optBnStats(first, BnStats.Mode.TRACK));
      net.forward(w, a, x2, track.optBnStats(second, BnStats.Mode.TRACK));
      float[] expectMean = first.runningMean(bn).add(second.runningMean(bn)).div(2).toFloatArray();
      float[] expectVar = first.runningVar(bn).add(second.runningVar(bn)).div(2).toFloatArray();
      assertArrayEquals(expectMean, cumulative.runningMean(bn).toFloatArray(), 1e-5f);
      assertArrayEquals(expectVar, cumulative.runningVar(bn).toFloatArray(), 1e-5f);
      assertTrue(Double.isNaN(cumulative.momentum()));
    }
  }
}
