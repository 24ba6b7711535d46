package org.rdnas.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class SgdTest {
  @Test
  void matchesHandComputedPyTorchUpdates() {
    // torch.optim.SGD(lr=0.1, momentum=0.9, weight_decay=0.1): d = g + wd w; buf = 0.9 buf + d;
    // w -= lr buf (buf = d on the first step). The third parameter gets no gradient (an unused op)
    // and still decays and coasts on its momentum.
    Sgd sgd = Sgd.create(3, 0.9, 0.1);
    float[] w = {1f, -2f, 1f};
    sgd.step(w, new float[] {0.5f, 0.1f, 0f}, 0.1);
    // d = [0.6, -0.1, 0.1]
    assertArrayEquals(new float[] {0.94f, -1.99f, 0.99f}, w, 1e-6f);
    assertArrayEquals(new float[] {0.6f, -0.1f, 0.1f}, sgd.momentumBuffer(), 1e-6f);
    sgd.step(w, new float[] {0.2f, -0.3f, 0f}, 0.1);
    // d = [0.294, -0.499, 0.099]; buf = [0.834, -0.589, 0.189]
    assertArrayEquals(new float[] {0.834f, -0.589f, 0.189f}, sgd.momentumBuffer(), 1e-6f);
    assertArrayEquals(new float[] {0.8566f, -1.9311f, 0.9711f}, w, 1e-6f);
  }

  @Test
  void restoredOptimizerContinuesIdentically() {
    Sgd a = Sgd.create(4, 0.9, 5e-4);
    float[] w = {0.1f, -0.2f, 0.3f, 0.4f};
    float[] g = {0.01f, 0.02f, -0.03f, 0f};
    a.step(w, g, 0.025);
    float[] w2 = w.clone();
    Sgd b = Sgd.restore(a.momentumBuffer(), 0.9, 5e-4);
    a.step(w, g, 0.02);
    b.step(w2, g, 0.02);
    assertArrayEquals(w, w2, 0f);
    assertArrayEquals(a.momentumBuffer(), b.momentumBuffer(), 0f);
  }

  @Test
  void rejectsBadArguments() {
    assertThrows(IllegalArgumentException.class, () -> Sgd.create(2, 1.0, 0));
    assertThrows(IllegalArgumentException.class, () -> Sgd.create(2, 0.9, -1));
    Sgd s = Sgd.create(2, 0.9, 0);
    assertThrows(IllegalArgumentException.class, () -> s.step(new float[2], new float[3], 0.1));
  }
}
