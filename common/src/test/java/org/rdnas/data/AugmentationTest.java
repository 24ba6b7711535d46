package org.rdnas.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class AugmentationTest {

  private static final Augmentation AUG = Augmentation.standard();

  @Test
  void drawDependsOnlyOnSeedStepAndSample() {
    for (int i = 0; i < 100; i++) {
      assertEquals(AUG.draw(7, 3, i), AUG.draw(7, 3, i));
      assertEquals(AUG.draw(7, 3, i), new Augmentation(4, 0.5).draw(7, 3, i));
    }
    assertTrue(differingDraws(1, 0, 2, 0) > 80, "different seeds give different draws");
    assertTrue(differingDraws(1, 0, 1, 1) > 80, "different steps give different draws");
    int sameAsNext = 0;
    for (int i = 0; i < 100; i++) {
      sameAsNext += AUG.draw(1, 0, i).equals(AUG.draw(1, 0, i + 1)) ? 1 : 0;
    }
    assertTrue(sameAsNext < 20, "neighbouring samples draw independently");
  }

  @Test
  void cropStaysInBoundsAndFlipsHalfTheTime() {
    int[] tops = new int[9];
    int[] lefts = new int[9];
    int flips = 0;
    int n = 20_000;
    for (int i = 0; i < n; i++) {
      Augmentation.Draw d = AUG.draw(11, i / 100, i);
      assertTrue(d.top() >= 0 && d.top() <= 8 && d.left() >= 0 && d.left() <= 8, d.toString());
      tops[d.top()]++;
      lefts[d.left()]++;
      flips += d.flip() ? 1 : 0;
    }
    for (int k = 0; k <= 8; k++) {
      assertTrue(Math.abs(tops[k] - n / 9.0) < 0.15 * n / 9.0, "top offset " + k + " drawn " + tops[k] + " times");
      assertTrue(Math.abs(lefts[k] - n / 9.0) < 0.15 * n / 9.0, "left offset " + k + " drawn " + lefts[k] + " times");
    }
    assertEquals(0.5, flips / (double) n, 0.02);
    Augmentation noPad = new Augmentation(0, 0.0);
    for (int i = 0; i < 50; i++) {
      assertEquals(new Augmentation.Draw(0, 0, false), noPad.draw(5, 5, i));
    }
  }

  @Test
  void centreCropIsIdentityAndFlipMirrorsColumns() {
    byte[] src = randomImage(1);
    byte[] out = new byte[3072];
    AUG.apply(src, 0, new Augmentation.Draw(4, 4, false), out, 0);
    assertArrayEquals(src, out);
    AUG.apply(src, 0, new Augmentation.Draw(4, 4, true), out, 0);
    for (int c = 0; c < 3; c++) {
      for (int y = 0; y < 32; y++) {
        for (int x = 0; x < 32; x++) {
          assertEquals(src[c * 1024 + y * 32 + 31 - x], out[c * 1024 + y * 32 + x]);
        }
      }
    }
  }

  @Test
  void cornerCropsShiftTheImageAndZeroPad() {
    byte[] src = randomImage(2);
    byte[] out = new byte[3072];
    AUG.apply(src, 0, new Augmentation.Draw(0, 0, false), out, 0);
    assertEquals(0, out[0]);
    assertEquals(0, out[3 * 32 + 31]);
    assertEquals(0, out[31 * 32 + 3]);
    assertEquals(src[0], out[4 * 32 + 4]);
    assertEquals(src[2048 + 27 * 32 + 27], out[2048 + 31 * 32 + 31]);
    AUG.apply(src, 0, new Augmentation.Draw(8, 8, false), out, 0);
    assertEquals(src[4 * 32 + 4], out[0]);
    assertEquals(0, out[28 * 32]);
    assertEquals(0, out[1024 + 5 * 32 + 28]);
  }

  @Test
  void matchesPadCropFlipReference() {
    byte[] src = randomImage(3);
    byte[] out = new byte[3072 + 10];
    for (int i = 0; i < 200; i++) {
      Augmentation.Draw d = AUG.draw(99, 1, i);
      AUG.apply(src, 0, d, out, 10);
      byte[] expected = reference(src, d, 4);
      for (int p = 0; p < 3072; p++) {
        assertEquals(expected[p], out[10 + p], d + " position " + p);
      }
    }
  }

  @Test
  void invalidSettingsAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> new Augmentation(-1, 0.5));
    assertThrows(IllegalArgumentException.class, () -> new Augmentation(4, 1.5));
    assertThrows(IllegalArgumentException.class, () -> new Augmentation(4, Double.NaN));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> AUG.apply(new byte[3072], 0, new Augmentation.Draw(9, 0, false), new byte[3072], 0));
    assertTrue(e.getMessage().contains("exceeds the crop range 0..8"), e.getMessage());
  }

  @Test
  void otherSidesPadAnEighthAndCropAtTheirSide() {
    assertEquals(Augmentation.standard(), Augmentation.standard(32));
    assertEquals(new Augmentation(2, 0.5), Augmentation.standard(16));
    assertEquals(new Augmentation(8, 0.5), Augmentation.standard(64));
    assertEquals(new Augmentation(28, 0.5), Augmentation.standard(224));
    assertEquals(new Augmentation(0, 0.5), Augmentation.standard(7));
    Augmentation aug = Augmentation.standard(16);
    byte[] src = new byte[3 * 256];
    SplittableRandom rng = new SplittableRandom(4);
    for (int p = 0; p < src.length; p++) {
      src[p] = (byte) (1 + rng.nextInt(255));
    }
    byte[] out = new byte[3 * 256 + 7];
    for (int i = 0; i < 100; i++) {
      Augmentation.Draw d = aug.draw(3, 2, i);
      assertTrue(d.top() <= 4 && d.left() <= 4, d.toString());
      assertEquals(d, aug.draw(3, 2, i), "the same seeds give the same draw");
      aug.apply(src, 0, d, out, 7, 16);
      byte[] expected = reference(src, d, 2, 16);
      for (int p = 0; p < expected.length; p++) {
        assertEquals(expected[p], out[7 + p], d + " position " + p);
      }
    }
  }

  private int differingDraws(long seedA, long stepA, long seedB, long stepB) {
    int differ = 0;
    for (int i = 0; i < 100; i++) {
      differ += AUG.draw(seedA, stepA, i).equals(AUG.draw(seedB, stepB, i)) ? 0 : 1;
    }
    return differ;
  }

  static byte[] randomImage(long seed) {
    byte[] image = new byte[3072];
    SplittableRandom rng = new SplittableRandom(seed);
    for (int p = 0; p < image.length; p++) {
      image[p] = (byte) (1 + rng.nextInt(255));
    }
    return image;
  }

  /** torchvision's steps spelt out: pad with zeros into a (32+2p)^2 canvas, crop at (top, left), then flip. */
  static byte[] reference(byte[] src, Augmentation.Draw d, int pad) {
    return reference(src, d, pad, 32);
  }

  /** As {@link #reference(byte[], Augmentation.Draw, int)} for an {@code s} px image. */
  static byte[] reference(byte[] src, Augmentation.Draw d, int pad, int s) {
    int side = s + 2 * pad;
    int plane = s * s;
    byte[] out = new byte[3 * plane];
    for (int c = 0; c < 3; c++) {
      byte[] padded = new byte[side * side];
      for (int y = 0; y < s; y++) {
        System.arraycopy(src, c * plane + y * s, padded, (y + pad) * side + pad, s);
      }
      byte[] crop = new byte[plane];
      for (int y = 0; y < s; y++) {
        System.arraycopy(padded, (y + d.top()) * side + d.left(), crop, y * s, s);
      }
      for (int y = 0; y < s; y++) {
        for (int x = 0; x < s; x++) {
          out[c * plane + y * s + x] = crop[y * s + (d.flip() ? s - 1 - x : x)];
        }
      }
    }
    return out;
  }
}
