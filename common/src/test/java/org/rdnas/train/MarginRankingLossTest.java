package org.rdnas.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.rdnas.config.DistillConfig;
import org.rdnas.nn.Autograd;
import org.rdnas.testing.NdLeakCheck;

@ExtendWith(NdLeakCheck.class)
class MarginRankingLossTest {

  /** {R, dR/dlossA, dR/dlossB} through PyTorch's autograd (an inactive hinge may give -0). */
  static float[] valueAndGradients(NDManager root, float lossA, float lossB, Preference p, double m) {
    try (NDManager s = root.newSubManager()) {
      NDArray a = s.create(lossA);
      NDArray b = s.create(lossB);
      try (Autograd.Scope g = Autograd.enable()) {
        Autograd.requireGrad(List.of(a, b));
        NDArray r = MarginRankingLoss.of(a, b, p, m);
        Autograd.backward(r);
        // R reaches a only through stopGradient: a must get no gradient at all.
        return new float[] {r.getFloat(), Autograd.gradient(a, s, false).getFloat(),
            Autograd.gradient(b, s).getFloat()};
      }
    }
  }

  @Test
  void preferringBPushesBsLossDownUntilItIsBelowAs(NDManager m) {
    // b preferred but worse (2.0 > 1.5): R = 2.0 - 1.5 = 0.5, gradient +1 on b, none on a
    float[] r = valueAndGradients(m, 1.5f, 2.0f, Preference.B, 0);
    assertEquals(0.5f, r[0], 1e-6f);
    assertEquals(0f, r[1], 0f);
    assertEquals(1f, r[2], 0f);
    // b preferred and already better: R = 0, no gradient
    r = valueAndGradients(m, 2.0f, 1.5f, Preference.B, 0);
    assertEquals(0f, r[0], 0f);
    assertEquals(0f, r[2], 0f);
    // ... unless the margin asks for more: relu(1.5 - 2.0 + 0.8) = 0.3
    r = valueAndGradients(m, 2.0f, 1.5f, Preference.B, 0.8);
    assertEquals(0.3f, r[0], 1e-6f);
    assertEquals(0f, r[1], 0f);
    assertEquals(1f, r[2], 0f);
  }

  @Test
  void preferringAPushesBsLossUpUntilItIsAboveAs(NDManager m) {
    // a preferred but b better (1.0 < 1.4): R = 1.4 - 1.0 = 0.4, gradient -1 on b
    float[] r = valueAndGradients(m, 1.4f, 1.0f, Preference.A, 0);
    assertEquals(0.4f, r[0], 1e-6f);
    assertEquals(0f, r[1], 0f);
    assertEquals(-1f, r[2], 0f);
    r = valueAndGradients(m, 1.0f, 1.4f, Preference.A, 0);
    assertEquals(0f, r[0], 0f);
    assertEquals(0f, r[2], 0f);
    r = valueAndGradients(m, 1.0f, 1.4f, Preference.A, 0.5);
    assertEquals(0.1f, r[0], 1e-6f);
    assertEquals(-1f, r[2], 0f);
  }

  @Test
  void scalarFormAgreesWithTheArrayForm(NDManager m) {
    float[][] cases = {{1.5f, 2f}, {2f, 1.5f}, {1f, 1f}, {0.3f, 2.7f}};
    for (float[] c : cases) {
      for (Preference p : Preference.values()) {
        for (double margin : new double[] {0, 0.25}) {
          float[] r = valueAndGradients(m, c[0], c[1], p, margin);
          assertEquals(MarginRankingLoss.value(c[0], c[1], p, margin), r[0], 1e-6);
        }
      }
    }
  }

  @Test
  void marginMapping() {
    MarginRankingLoss zero = MarginRankingLoss.of(DistillConfig.Margin.ZERO);
    assertEquals(0, zero.margin(12));
    MarginRankingLoss gd = MarginRankingLoss.of(DistillConfig.Margin.GROUP_DISTANCE);
    assertEquals(0.1, gd.margin(12), 1e-12);
    assertEquals(0.1 * 6.75 / 12, gd.margin(6.75), 1e-12);
    assertEquals(0.5, MarginRankingLoss.of(DistillConfig.Margin.GROUP_DISTANCE, 1.0).margin(6), 1e-12);
    assertThrows(IllegalArgumentException.class,
        () -> MarginRankingLoss.of(DistillConfig.Margin.GROUP_DISTANCE, -1));
  }
}
