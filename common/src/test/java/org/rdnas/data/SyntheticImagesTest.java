package org.rdnas.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class SyntheticImagesTest {

  private static final SyntheticImages GEN = SyntheticImages.standard();

  @Test
  void labelsAreBalanced() {
    assertArrayEquals(new int[] {200, 200, 200, 200, 200, 200, 200, 200, 200, 200}, GEN.generate(2000, 1).labelCounts());
    for (int count : GEN.generate(1005, 2).labelCounts()) {
      assertTrue(count == 100 || count == 101, "count " + count);
    }
    ImageDataset d = GEN.generate(30, 3);
    assertFalse(d.label(0) == 0 && d.label(1) == 1 && d.label(2) == 2, "classes are shuffled within a block");
  }

  @Test
  void sameSeedSameImagesAndPrefixesAgree() {
    ImageDataset a = GEN.generate(60, 4);
    ImageDataset b = GEN.generate(60, 4);
    ImageDataset longer = GEN.generate(95, 4);
    for (int i = 0; i < 60; i++) {
      assertArrayEquals(a.image(i), b.image(i));
      assertArrayEquals(a.image(i), longer.image(i));
      assertEquals(a.label(i), longer.label(i));
    }
    assertFalse(Arrays.equals(a.image(0), GEN.generate(1, 5).image(0)));
    assertTrue(a.origin().startsWith("synthetic(templateSeed=20230101"), a.origin());
  }

  @Test
  void nearestClassMeanLearnsHeldOutImages() {
    ImageDataset.Split s = GEN.generate(3000, 6).split(1000, 7);
    double accuracy = nearestClassMeanAccuracy(s.train(), s.heldOut());
    assertTrue(accuracy > 0.5, "nearest-class-mean accuracy " + accuracy + " should be well above chance (0.1)");
    // Another seed draws new images of the same ten classes.
    double otherSeed = nearestClassMeanAccuracy(s.train(), GEN.generate(500, 8));
    assertTrue(otherSeed > 0.5, "accuracy on images of another seed " + otherSeed);
    // Other templates are other classes: near chance.
    ImageDataset foreign = SyntheticImages.of(1, 64, 8).generate(500, 8);
    assertTrue(nearestClassMeanAccuracy(s.train(), foreign) < 0.3, "foreign templates are not the same classes");
  }

  @Test
  void runsThroughTheBatchPipeline() {
    Batch b = BatchAssembler.standard(GEN.generate(20, 1)).assemble(new int[] {0, 19}, true, 1, 0);
    assertEquals(2, b.size());
    for (float v : b.images()) {
      assertTrue(Float.isFinite(v) && v > -2.1f && v < 2.2f, "normalised value " + v);
    }
  }

  @Test
  void invalidSettingsAreRejected() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GEN.generate(0, 1));
    assertTrue(e.getMessage().contains("count must be in 1.."), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> SyntheticImages.of(1, -1, 2));
    assertThrows(IllegalArgumentException.class, () -> SyntheticImages.of(1, 10, 17));
  }

  private static double nearestClassMeanAccuracy(ImageDataset train, ImageDataset test) {
    double[][] means = new double[10][3072];
    int[] counts = train.labelCounts();
    byte[] image = new byte[3072];
    for (int i = 0; i < train.size(); i++) {
      train.copyImage(i, image, 0);
      double[] m = means[train.label(i)];
      for (int p = 0; p < 3072; p++) {
        m[p] += (image[p] & 0xFF) / (double) counts[train.label(i)];
      }
    }
    int correct = 0;
    for (int i = 0; i < test.size(); i++) {
      test.copyImage(i, image, 0);
      int best = -1;
      double bestDistance = Double.POSITIVE_INFINITY;
      for (int c = 0; c < 10; c++) {
        double distance = 0;
        for (int p = 0; p < 3072; p++) {
          double e = (image[p] & 0xFF) - means[c][p];
          distance += e * e;
        }
        if (distance < bestDistance) {
          bestDistance = distance;
          best = c;
        }
      }
      correct += best == test.label(i) ? 1 : 0;
    }
    return correct / (double) test.size();
  }
}
