package org.rdnas.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class ImageDatasetTest {

  @Test
  void ofValidatesAndCopiesItsInput() {
    byte[] images = new byte[2 * 3072];
    byte[] labels = {1, 2};
    ImageDataset d = ImageDataset.of(images, labels, "test");
    images[0] = 42;
    labels[0] = 7;
    assertEquals(0, d.pixel(0, 0, 0, 0));
    assertEquals(1, d.label(0));

    IllegalArgumentException size = assertThrows(IllegalArgumentException.class,
        () -> ImageDataset.of(new byte[3072], new byte[2], "test"));
    assertTrue(size.getMessage().contains("2 labels need 6144"), size.getMessage());
    IllegalArgumentException label = assertThrows(IllegalArgumentException.class,
        () -> ImageDataset.of(new byte[3072], new byte[] {10}, "test"));
    assertTrue(label.getMessage().contains("label 10 of image 0"), label.getMessage());
    assertThrows(IndexOutOfBoundsException.class, () -> d.label(2));
    assertThrows(IndexOutOfBoundsException.class, () -> d.pixel(0, 3, 0, 0));
  }

  @Test
  void subsetIsAViewInTheGivenOrder() {
    ImageDataset d = TestData.patterned(20);
    ImageDataset sub = d.subset(new int[] {7, 3, 3, 19});
    assertEquals(4, sub.size());
    assertEquals(7, sub.label(0));
    assertEquals(3, sub.label(2));
    assertArrayEquals(d.image(19), sub.image(3));
    assertEquals(19, sub.baseIndex(3));

    ImageDataset subSub = sub.subset(new int[] {3, 0});
    assertEquals(19, subSub.baseIndex(0));
    assertEquals(7, subSub.baseIndex(1));
    assertArrayEquals(d.image(7), subSub.image(1));
    assertThrows(IndexOutOfBoundsException.class, () -> sub.subset(new int[] {4}));

    ImageDataset compact = subSub.compact();
    assertEquals(2, compact.size());
    assertArrayEquals(d.image(19), compact.image(0));
    assertEquals(0, compact.baseIndex(0));

    assertEquals(5, d.head(5).size());
    assertArrayEquals(d.image(4), d.head(5).image(4));
    assertSame(d, d.head(20));
  }

  @Test
  void splitIsDisjointCompleteAndDeterministic() {
    ImageDataset d = TestData.patterned(100);
    ImageDataset.Split a = d.split(20, 42);
    assertEquals(80, a.train().size());
    assertEquals(20, a.heldOut().size());
    Set<Integer> seen = new HashSet<>();
    for (ImageDataset part : new ImageDataset[] {a.train(), a.heldOut()}) {
      for (int i = 0; i < part.size(); i++) {
        assertTrue(seen.add(part.baseIndex(i)), "index " + part.baseIndex(i) + " in both parts");
        assertEquals(part.baseIndex(i) % 10, part.label(i));
        if (i > 0) {
          assertTrue(part.baseIndex(i - 1) < part.baseIndex(i), "parts keep the dataset order");
        }
      }
    }
    assertEquals(100, seen.size());

    ImageDataset.Split again = d.split(20, 42);
    assertArrayEquals(baseIndices(a.heldOut()), baseIndices(again.heldOut()));
    assertArrayEquals(baseIndices(a.train()), baseIndices(again.train()));
    assertNotEquals(Arrays.toString(baseIndices(a.heldOut())), Arrays.toString(baseIndices(d.split(20, 43).heldOut())));
    assertTrue(a.heldOut().origin().endsWith("split(seed=42, heldOut=20).heldOut"), a.heldOut().origin());

    assertEquals(0, d.split(0, 1).heldOut().size());
    assertEquals(100, d.split(100, 1).heldOut().size());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> d.split(101, 1));
    assertTrue(e.getMessage().contains("held-out count must be in 0..100"), e.getMessage());
  }

  @Test
  void splitOfAViewMapsToTheUnderlyingImages() {
    ImageDataset d = TestData.patterned(50);
    ImageDataset odd = d.subset(new int[] {1, 3, 5, 7, 9, 11, 13, 15, 17, 19});
    ImageDataset.Split s = odd.split(4, 9);
    for (ImageDataset part : new ImageDataset[] {s.train(), s.heldOut()}) {
      for (int i = 0; i < part.size(); i++) {
        assertEquals(1, part.baseIndex(i) % 2);
        assertArrayEquals(d.image(part.baseIndex(i)), part.image(i));
      }
    }
  }

  private static int[] baseIndices(ImageDataset d) {
    int[] out = new int[d.size()];
    Arrays.setAll(out, d::baseIndex);
    return out;
  }

  @Test
  void aDatasetCarriesItsSideClassesAndNames() {
    ImageDataset cifar = TestData.patterned(3);
    assertEquals(32, cifar.side());
    assertEquals(10, cifar.classes());
    assertTrue(cifar.classNames().isEmpty());
    assertEquals(Normalization.cifar10(), cifar.normalization());
    assertEquals(699_050, ImageDataset.maxImages(32));
    assertEquals(3 * 224 * 224, ImageDataset.imageBytes(224));

    byte[] images = new byte[4 * 27];
    for (int p = 0; p < images.length; p++) {
      images[p] = (byte) p;
    }
    ImageDataset d = ImageDataset.of(images, new int[] {0, 199, 150, 3}, 3, 200,
        java.util.stream.IntStream.range(0, 200).mapToObj(k -> "n" + k).toList(), Normalization.imagenet(), "three");
    assertEquals(3, d.side());
    assertEquals(27, d.imageBytes());
    assertEquals(199, d.label(1));
    assertEquals(27 + 2 * 9 + 3 + 1, d.pixel(1, 2, 1, 1));
    ImageDataset view = d.split(2, 5).train().compact();
    assertEquals(3, view.side());
    assertEquals(200, view.classes());
    assertEquals("n199", d.subset(new int[] {1}).classNames().orElseThrow().get(199));
    assertEquals(Normalization.imagenet(), view.normalization());
    IllegalArgumentException label = assertThrows(IllegalArgumentException.class,
        () -> ImageDataset.of(new byte[27], new int[] {200}, 3, 200, null, Normalization.imagenet(), "x"));
    assertTrue(label.getMessage().contains("label 200 of image 0 is not in 0..199"), label.getMessage());
    IllegalArgumentException size = assertThrows(IllegalArgumentException.class,
        () -> ImageDataset.of(new byte[28], new int[] {0}, 3, 2, null, Normalization.imagenet(), "x"));
    assertTrue(size.getMessage().contains("(27 per image)"), size.getMessage());
    assertThrows(IndexOutOfBoundsException.class, () -> d.pixel(0, 0, 3, 0));
  }
}
