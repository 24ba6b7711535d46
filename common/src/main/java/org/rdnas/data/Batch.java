package org.rdnas.data;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.Objects;

/**
 * One assembled minibatch: normalised images in NCHW float layout ({@code size x 3 x side x side},
 * side 32 for CIFAR-10) and their labels. The arrays are the batch's own and are handed out without
 * copying.
 */
public final class Batch {

  private final float[] images;
  private final int[] labels;
  private final int side;

  Batch(float[] images, int[] labels, int side) {
    this.images = Objects.requireNonNull(images, "images");
    this.labels = Objects.requireNonNull(labels, "labels");
    this.side = side;
    if ((long) labels.length * ImageDataset.imageBytes(side) != images.length) {
      throw new IllegalArgumentException(images.length + " image floats do not hold " + labels.length + " images");
    }
  }

  /** Number of images. */
  public int size() {
    return labels.length;
  }

  /** Side in pixels of every image. */
  public int side() {
    return side;
  }

  /** Images in NCHW order, {@code size() * 3 * side * side} floats (not a copy). */
  public float[] images() {
    return images;
  }

  /** Labels, one per image (not a copy). */
  public int[] labels() {
    return labels;
  }

  /** Shape {@code (size, 3, side, side)} of the image tensor. */
  public Shape imageShape() {
    return new Shape(size(), ImageDataset.CHANNELS, side, side);
  }

  /**
   * The batch as NDArrays on {@code manager}: a float32 image tensor of {@link #imageShape()} and an
   * int64 label vector of shape {@code (size)}; both belong to {@code manager}.
   */
  public NDList toNDList(NDManager manager) {
    Objects.requireNonNull(manager, "manager");
    long[] wide = new long[labels.length];
    for (int i = 0; i < labels.length; i++) {
      wide[i] = labels[i];
    }
    NDArray x = manager.create(images, imageShape());
    NDArray y = manager.create(wide, new Shape(labels.length));
    return new NDList(x, y);
  }
}
