package org.rdnas.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.rdnas.testing.NdLeakCheck;

class BatchAssemblerTest {

  private final ImageDataset data = TestData.patterned(40);
  private final BatchAssembler assembler = BatchAssembler.standard(data);
  private final Normalization norm = Normalization.cifar10();

  @Test
  void plainBatchIsNormalisedNchw() {
    int[] indices = {12, 3, 39};
    Batch b = assembler.assemble(indices, false, 1, 1);
    assertEquals(3, b.size());
    assertArrayEquals(new int[] {2, 3, 9}, b.labels());
    assertEquals(new Shape(3, 3, 32, 32), b.imageShape());
    for (int k = 0; k < indices.length; k++) {
      for (int c = 0; c < 3; c++) {
        for (int y = 0; y < 32; y += 5) {
          for (int x = 0; x < 32; x += 3) {
            float expected = norm.apply(c, data.pixel(indices[k], c, y, x));
            assertEquals(expected, b.images()[((k * 3 + c) * 32 + y) * 32 + x]);
          }
        }
      }
    }
  }

  @Test
  void augmentedBatchIsCropFlipThenNormalise() {
    int[] indices = {0, 17, 17, 25};
    Batch b = assembler.assemble(indices, true, 5, 9);
    byte[] raw = new byte[3072];
    for (int k = 0; k < indices.length; k++) {
      Augmentation.Draw d = Augmentation.standard().draw(5, 9, indices[k]);
      byte[] expected = AugmentationTest.reference(data.image(indices[k]), d, 4);
      System.arraycopy(expected, 0, raw, 0, 3072);
      for (int p = 0; p < 3072; p++) {
        assertEquals(norm.apply(p / 1024, raw[p] & 0xFF), b.images()[k * 3072 + p], "image " + k + " position " + p);
      }
    }
  }

  @Test
  void paddedPixelsBecomeMinusMeanOverStd() {
    ImageDataset bright = ImageDataset.of(filled(10, (byte) 200), new byte[10], "bright");
    BatchAssembler a = BatchAssembler.standard(bright);
    int index = -1;
    for (int i = 0; i < 10 && index < 0; i++) {
      if (Augmentation.standard().draw(3, 4, i).top() < 4) {
        index = i;
      }
    }
    assertTrue(index >= 0, "one of ten draws crops into the top padding");
    Batch b = a.assemble(new int[] {index}, true, 3, 4);
    float[] padValue = {-0.4914f / 0.2470f, -0.4822f / 0.2435f, -0.4465f / 0.2616f};
    for (int c = 0; c < 3; c++) {
      assertEquals(padValue[c], b.images()[c * 1024], 1e-6, "row 0 of channel " + c + " is padding");
      assertEquals(norm.apply(c, 200), b.images()[c * 1024 + 16 * 32 + 16], "the centre is image");
    }
  }

  @Test
  void anyBatchCanBeRecomputedAlone() {
    Batch big = assembler.assemble(new int[] {1, 2, 3, 5, 8}, true, 77, 12);
    Batch alone = assembler.assemble(new int[] {5, 2}, true, 77, 12);
    assertArrayEquals(Arrays.copyOfRange(big.images(), 3 * 3072, 4 * 3072), Arrays.copyOfRange(alone.images(), 0, 3072));
    assertArrayEquals(Arrays.copyOfRange(big.images(), 3072, 2 * 3072), Arrays.copyOfRange(alone.images(), 3072, 2 * 3072));
    assertArrayEquals(big.images(), assembler.assemble(new int[] {1, 2, 3, 5, 8}, true, 77, 12).images());
    assertFalse(Arrays.equals(big.images(), assembler.assemble(new int[] {1, 2, 3, 5, 8}, true, 77, 13).images()),
        "another step draws other augmentations");
  }

  @Test
  void fillReusesBuffersAndChecksTheirSize() {
    float[] images = new float[4 * 3072];
    int[] labels = new int[4];
    assembler.fill(new int[] {6, 7}, true, 2, 2, images, labels);
    assertArrayEquals(assembler.assemble(new int[] {6, 7}, true, 2, 2).images(), Arrays.copyOf(images, 2 * 3072));
    assertEquals(7, labels[1]);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> assembler.fill(new int[] {1, 2}, false, 0, 0, new float[3072], new int[2]));
    assertTrue(e.getMessage().contains("2 images need 6144"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> assembler.fill(new int[] {1, 2}, false, 0, 0, images, new int[1]));
    assertThrows(IndexOutOfBoundsException.class, () -> assembler.assemble(new int[] {40}, false, 0, 0));
  }

  @Test
  void ndArraysOnThePytorchEngineMatchTheJavaArrays() {
    int[] indices = {4, 0, 33};
    Batch b = assembler.assemble(indices, true, 8, 1);
    try (NDManager manager = NDManager.newBaseManager()) {
      NDList list = assembler.toNDList(manager, indices, true, 8, 1);
      NDArray x = list.get(0);
      NDArray y = list.get(1);
      assertEquals(new Shape(3, 3, 32, 32), x.getShape());
      assertEquals(DataType.FLOAT32, x.getDataType());
      assertEquals(new Shape(3), y.getShape());
      assertEquals(DataType.INT64, y.getDataType());
      assertArrayEquals(b.images(), x.toFloatArray());
      assertArrayEquals(new long[] {4, 0, 3}, y.toLongArray());
      // NCHW: element (n=1, c=2, h=0, w=5) of the tensor is the Java array's ((1*3+2)*32+0)*32+5.
      assertEquals(b.images()[((3 + 2) * 32) * 32 + 5], x.getFloat(1, 2, 0, 5));
    }
  }

  @Test
  void survivesJavaSerialisationAsSparkClosuresNeed() throws IOException, ClassNotFoundException {
    BatchAssembler onView = BatchAssembler.of(data.split(10, 3).train(), Normalization.cifar10(), new Augmentation(2, 0.3));
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(onView);
    }
    BatchAssembler copy;
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      copy = (BatchAssembler) in.readObject();
    }
    assertEquals(onView.augmentation(), copy.augmentation());
    assertEquals(onView.normalization(), copy.normalization());
    assertEquals(onView.data().origin(), copy.data().origin());
    int[] indices = {0, 5, 29};
    assertArrayEquals(onView.assemble(indices, true, 4, 4).images(), copy.assemble(indices, true, 4, 4).images());
    assertArrayEquals(onView.assemble(indices, true, 4, 4).labels(), copy.assemble(indices, true, 4, 4).labels());
  }

  private static byte[] filled(int n, byte value) {
    byte[] images = new byte[n * 3072];
    Arrays.fill(images, value);
    return images;
  }

  /** A 12 px, 5-class dataset with ImageNet normalisation, as an image folder gives. */
  private static ImageDataset twelvePixels(int n) {
    byte[] images = new byte[n * 432];
    int[] labels = new int[n];
    for (int i = 0; i < n; i++) {
      labels[i] = i % 5;
      for (int p = 0; p < 432; p++) {
        images[i * 432 + p] = (byte) TestData.pixel(i, p);
      }
    }
    return ImageDataset.of(images, labels, 12, 5, null, Normalization.imagenet(), "twelve(" + n + ")");
  }

  @Test
  @ExtendWith(NdLeakCheck.class)
  void aNon32SideIsAssembledAtItsSideWithItsOwnNormalisation(NDManager manager) {
    ImageDataset d = twelvePixels(9);
    BatchAssembler a = BatchAssembler.standard(d);
    assertEquals(Normalization.imagenet(), a.normalization());
    assertEquals(new Augmentation(1, 0.5), a.augmentation());
    assertEquals(Normalization.cifar10(), assembler.normalization());
    assertEquals(Augmentation.standard(), assembler.augmentation());
    int[] indices = {8, 1, 6};
    Batch plain = a.assemble(indices, false, 2, 3);
    assertEquals(new Shape(3, 3, 12, 12), plain.imageShape());
    assertArrayEquals(new int[] {3, 1, 1}, plain.labels());
    Normalization in = Normalization.imagenet();
    for (int k = 0; k < 3; k++) {
      for (int p = 0; p < 432; p++) {
        assertEquals(in.apply(p / 144, TestData.pixel(indices[k], p)), plain.images()[k * 432 + p]);
      }
    }
    Batch aug = a.assemble(indices, true, 2, 3);
    for (int k = 0; k < 3; k++) {
      byte[] expected = AugmentationTest.reference(d.image(indices[k]), a.augmentation().draw(2, 3, indices[k]), 1, 12);
      for (int p = 0; p < 432; p++) {
        assertEquals(in.apply(p / 144, expected[p] & 0xFF), aug.images()[k * 432 + p]);
      }
    }
    try (NDManager scope = manager.newSubManager()) {
      NDList list = a.toNDList(scope, indices, true, 2, 3);
      assertEquals(new Shape(3, 3, 12, 12), list.get(0).getShape());
      assertArrayEquals(aug.images(), list.get(0).toFloatArray());
      assertArrayEquals(new long[] {3, 1, 1}, list.get(1).toLongArray());
    }
  }
}
