package org.rdnas.data;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.io.Serializable;
import java.util.Objects;

/**
 * Builds minibatches from an {@link ImageDataset}: optional augmentation on raw pixels, then
 * normalisation, into NCHW floats. Image {@code i}'s augmentation in step {@code s} depends only on
 * (seed, s, i), where {@code i} is its index in this assembler's dataset, so a batch is recomputable
 * alone and independent of the other images in it. Instances are immutable and thread-safe.
 */
public final class BatchAssembler implements Serializable {

  private static final long serialVersionUID = 1L;

  private final ImageDataset data;
  private final Normalization normalization;
  private final Augmentation augmentation;

  private BatchAssembler(ImageDataset data, Normalization normalization, Augmentation augmentation) {
    this.data = data;
    this.normalization = normalization;
    this.augmentation = augmentation;
  }

  /** An assembler over {@code data} with the given normalisation and augmentation. */
  public static BatchAssembler of(ImageDataset data, Normalization normalization, Augmentation augmentation) {
    return new BatchAssembler(Objects.requireNonNull(data, "data"),
        Objects.requireNonNull(normalization, "normalization"),
        Objects.requireNonNull(augmentation, "augmentation"));
  }

  /**
   * An assembler with the dataset's own normalisation ({@link ImageDataset#normalization()}:
   * CIFAR-10's for CIFAR-10 and synthetic images, ImageNet's for image folders) and the standard
   * crop and flip for its side ({@link Augmentation#standard(int)}: pad 4 at 32 px).
   */
  public static BatchAssembler standard(ImageDataset data) {
    Objects.requireNonNull(data, "data");
    return of(data, data.normalization(), Augmentation.standard(data.side()));
  }

  /** The dataset batches are drawn from. */
  public ImageDataset data() {
    return data;
  }

  /** The normalisation applied after augmentation. */
  public Normalization normalization() {
    return normalization;
  }

  /** The augmentation applied when a batch asks for it. */
  public Augmentation augmentation() {
    return augmentation;
  }

  /**
   * Fills {@code images} (at least {@code indices.length * 3 * side * side} floats, NCHW) and {@code labels}
   * (at least {@code indices.length}) with the images at {@code indices}, augmented with the draws
   * of ({@code seed}, {@code step}, index) when {@code augment} is set.
   */
  public void fill(int[] indices, boolean augment, long seed, long step, float[] images, int[] labels) {
    Objects.requireNonNull(indices, "indices");
    Objects.requireNonNull(images, "images");
    Objects.requireNonNull(labels, "labels");
    int n = indices.length;
    int side = data.side();
    int bytes = data.imageBytes();
    if ((long) n * bytes > images.length) {
      throw new IllegalArgumentException("images holds " + images.length + " floats, " + n + " images need "
          + (long) n * bytes);
    }
    if (labels.length < n) {
      throw new IllegalArgumentException("labels holds " + labels.length + " ints, " + n + " images need " + n);
    }
    byte[] raw = new byte[bytes];
    byte[] augmented = augment ? new byte[bytes] : null;
    for (int k = 0; k < n; k++) {
      int i = indices[k];
      data.copyImage(i, raw, 0);
      byte[] pixels = raw;
      if (augment) {
        augmentation.apply(raw, 0, augmentation.draw(seed, step, i), augmented, 0, side);
        pixels = augmented;
      }
      normalization.apply(pixels, 0, images, k * bytes, side);
      labels[k] = data.label(i);
    }
  }

  /** A new batch of the images at {@code indices}; see {@link #fill}. */
  public Batch assemble(int[] indices, boolean augment, long seed, long step) {
    Objects.requireNonNull(indices, "indices");
    int max = ImageDataset.maxImages(data.side());
    if (indices.length > max) {
      throw new IllegalArgumentException("batch of " + indices.length + " " + data.side()
          + " px images exceeds the " + max + " one float array holds");
    }
    float[] images = new float[indices.length * data.imageBytes()];
    int[] labels = new int[indices.length];
    fill(indices, augment, seed, step, images, labels);
    return new Batch(images, labels, data.side());
  }

  /**
   * The batch of {@link #assemble} as NDArrays on {@code manager}: float32 images of shape
   * {@code (N, 3, side, side)} and int64 labels of shape {@code (N)}.
   */
  public NDList toNDList(NDManager manager, int[] indices, boolean augment, long seed, long step) {
    return assemble(indices, augment, seed, step).toNDList(manager);
  }
}
