package org.rdnas.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class NormalizationTest {

  @Test
  void cifar10DefaultsMatchHandComputedValues() {
    Normalization n = Normalization.cifar10();
    assertEquals(0.4914f, n.mean(0));
    assertEquals(0.2616f, n.std(2));
    // (x / 255 - mean) / std, computed by hand (float64), e.g. (0 - 0.4914) / 0.2470 = -1.98947...
    assertEquals(-1.9894736842, n.apply(0, 0), 1e-6);
    assertEquals(2.0591093117, n.apply(0, 255), 1e-6);
    assertEquals(0.0811531183, n.apply(1, 128), 1e-6);
    assertEquals(-0.7473991126, n.apply(2, 64), 1e-6);
    assertEquals(-1.9802874743, n.apply(1, 0), 1e-6);
    assertEquals(-1.7068042813, n.apply(2, 0), 1e-6);
    // Bit-exact with float32 arithmetic in torchvision's order (ToTensor divides, Normalize subtracts then divides).
    assertEquals(((float) 200 / 255f - 0.4822f) / 0.2435f, n.apply(1, 200));
  }

  @Test
  void customStatisticsAndUnitScale() {
    Normalization n = Normalization.of(new float[] {0.5f, 0f, 1f}, new float[] {0.5f, 2f, 1f});
    assertEquals(1f, n.apply(0, 255), 1e-7);
    assertEquals(-1f, n.apply(0, 0), 1e-7);
    assertEquals(0.5f, n.apply(1, 255), 1e-7);
    assertEquals(-1f, n.apply(2, 0), 1e-7);
    assertEquals(51f / 255f, Normalization.unitScale().apply(2, 51), 1e-7);
  }

  @Test
  void arrayFormMatchesPerPixelForm() {
    Normalization n = Normalization.cifar10();
    byte[] src = new byte[3072 + 5];
    for (int p = 0; p < src.length; p++) {
      src[p] = (byte) (p * 31);
    }
    float[] dst = new float[3072 + 2];
    n.apply(src, 5, dst, 2);
    for (int p = 0; p < 3072; p++) {
      assertEquals(n.apply(p / 1024, src[5 + p] & 0xFF), dst[2 + p], "position " + p);
    }
  }

  @Test
  void invalidStatisticsAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> Normalization.of(new float[] {0f, 0f}, new float[] {1f, 1f, 1f}));
    IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
        () -> Normalization.of(new float[] {0f, 0f, 0f}, new float[] {1f, 0f, 1f}));
    assertEquals("std[1] must be finite and > 0, got 0.0", zero.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> Normalization.of(new float[] {Float.NaN, 0f, 0f}, new float[] {1f, 1f, 1f}));
    assertThrows(IndexOutOfBoundsException.class, () -> Normalization.cifar10().apply(0, 256));
  }

  @Test
  void imagenetStatisticsAndANon32Side() {
    Normalization n = Normalization.imagenet();
    assertEquals(0.485f, n.mean(0));
    assertEquals(0.225f, n.std(2));
    // (0 - 0.485) / 0.229 = -2.11790...; (1 - 0.406) / 0.225 = 2.64; (128/255 - 0.456) / 0.224 = 0.2052...
    assertEquals(-2.1179039301, n.apply(0, 0), 1e-6);
    assertEquals(2.64, n.apply(2, 255), 1e-6);
    assertEquals(0.2051820728, n.apply(1, 128), 1e-6);
    // A 5 px image: planes of 25 pixels.
    byte[] src = new byte[75 + 3];
    for (int p = 0; p < src.length; p++) {
      src[p] = (byte) (p * 17);
    }
    float[] dst = new float[75 + 1];
    n.apply(src, 3, dst, 1, 5);
    for (int p = 0; p < 75; p++) {
      assertEquals(n.apply(p / 25, src[3 + p] & 0xFF), dst[1 + p], "position " + p);
    }
  }
}
