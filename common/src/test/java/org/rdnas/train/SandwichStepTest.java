package org.rdnas.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.rdnas.nn.ParamSpec;
import org.rdnas.nn.ResNet48Network;
import org.rdnas.nn.Weights;
import org.rdnas.space.ResNet48Arch;
import org.rdnas.space.ResNet48Space;
import org.rdnas.testing.NdLeakCheck;

/** The sandwich-rule step on the ResNet48 supernet at toy size (32 px, a batch of 8). */
@ExtendWith(NdLeakCheck.class)
class SandwichStepTest {
  static final ResNet48Network SUPERNET = ResNet48Network.supernet(10);
  static final ResNet48Space SPACE = ResNet48Space.of(32, 10);

  static ResNet48Arch drawn(long seed) {
    return ResNet48Space.arch(SPACE.sampleOne(new SplittableRandom(seed)));
  }

  @Test
  void theSandwichEndsAreTheSpacesLargestAndSmallestAndLambdaIsTheAuthors() {
    assertEquals(SUPERNET.parameters().stream().mapToLong(ParamSpec::size).sum(),
        SUPERNET.parameterCount(SandwichStep.largest()));
    assertEquals("122223" + "3333000000" + "3333000000" + "5555000000000000" + "7777000000",
        SandwichStep.smallest().toString());
    assertEquals(0, SandwichStep.lambda(0));
    assertEquals(0.5, SandwichStep.lambda(5));
    assertEquals(2, SandwichStep.lambda(40));
  }

  @Test
  void theRankLossReachesTheWeightsOnlyThroughLambdaAndStepsLowerTheLoss(NDManager m) {
    try (NDManager s = m.newSubManager();
        Weights w0 = Weights.initialize(s, SUPERNET.parameters(), 1, Weights.Init.PYTORCH_DEFAULT,
            DataType.FLOAT32)) {
      SplittableRandom rng = new SplittableRandom(7);
      float[] pixels = new float[8 * 3 * 32 * 32];
      for (int i = 0; i < pixels.length; i++) {
        pixels[i] = (float) rng.nextGaussian();
      }
      NDArray x = s.create(pixels, new Shape(8, 3, 32, 32));
      NDArray y = s.create(new long[] {0, 1, 2, 3, 4, 5, 6, 7});
      // A margin of 10 keeps the ranking loss active whatever the two cross-entropies are.
      SandwichStep.Plan off = new SandwichStep.Plan(drawn(1), drawn(2), drawn(3), Preference.B, 10, 0);
      SandwichStep.Plan on = new SandwichStep.Plan(drawn(1), drawn(2), drawn(3), Preference.B, 10, 1);
      SandwichStep.Result r0 = SandwichStep.compute(s, SUPERNET, w0, x, y, off);
      SandwichStep.Result r1 = SandwichStep.compute(s, SUPERNET, w0, x, y, on);
      assertTrue(r0.rank() > 0, "rank loss active: " + r0.rank());
      assertEquals(r0.ceLargest(), r1.ceLargest(), 0);
      assertTrue(Double.isFinite(r0.total(0)) && r0.kdSmallest() > 0 && r0.kdRandom() > 0);
      double changed = 0;
      for (String name : r0.gradients().keySet()) {
        float[] a = r0.gradients().get(name);
        float[] b = r1.gradients().get(name);
        for (int i = 0; i < a.length; i++) {
          assertTrue(Float.isFinite(a[i]) && Float.isFinite(b[i]), name);
          changed = Math.max(changed, Math.abs(a[i] - b[i]));
        }
      }
      assertTrue(changed > 0, "lambda = 1 changes the gradient");

      // Three small SGD steps on the same batch lower the largest subnet's cross-entropy.
      Weights w = w0;
      double first = r0.ceLargest();
      double last = first;
      try (NDManager steps = s.newSubManager()) {
        for (int step = 0; step < 3; step++) {
          SandwichStep.Result r = SandwichStep.compute(steps, SUPERNET, w, x, y, off);
          Map<String, NDArray> next = new LinkedHashMap<>();
          for (ParamSpec p : SUPERNET.parameters()) {
            float[] v = w.get(p.name()).toFloatArray();
            float[] g = r.gradients().get(p.name());
            for (int i = 0; i < v.length; i++) {
              v[i] -= 0.01f * g[i];
            }
            next.put(p.name(), steps.create(v, new Shape(p.shape())));
          }
          w = Weights.of(steps, next);
        }
        last = SandwichStep.compute(steps, SUPERNET, w, x, y, off).ceLargest();
      }
      assertTrue(last < first, "CE of the largest " + first + " -> " + last);
    }
  }
}
