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

  /** An assembler with CIFAR-10 normalisation and the standard pad-4 crop and flip. */
  public static BatchAssembler standard(ImageDataset data) {
    return of(data, Normalization.cifar10(), Augmentation.standard());
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
   * Fills {@code images} (at least {@code indices.length * 3072} floats, NCHW) and {@code labels}
   * (at least {@code indices.length}) with the images at {@code indices}, augmented with the draws
   * of ({@code seed}, {@code step}, index) when {@code augment} is set.
   */
  public void fill(int[] indices, boolean augment, long seed, long step, float[] images, int[] labels) {
    Objects.requireNonNull(indices, "indices");
    Objects.requireNonNull(images, "images");
    Objects.requireNonNull(labels, "labels");
    int n = indices.length;
    if ((long) n * ImageDataset.IMAGE_BYTES > images.length) {
      throw new IllegalArgumentException("images holds " + images.length + " floats, " + n + " images need "
          + (long) n * ImageDataset.IMAGE_BYTES);
    }
    if (labels.length < n) {
      throw new IllegalArgumentException("labels holds " + labels.length + " ints, " + n + " images need " + n);
    }
    byte[] raw = new byte[ImageDataset.IMAGE_BYTES];
    byte[] augmented = augment ? new byte[ImageDataset.IMAGE_BYTES] : null;
    for (int k = 0; k < n; k++) {
      int i = indices[k];
      data.copyImage(i, raw, 0);
      byte[] pixels = raw;
      if (augment) {
        augmentation.apply(raw, 0, augmentation.draw(seed, step, i), augmented, 0);
        pixels = augmented;
      }
      normalization.apply(pixels, 0, images, k * ImageDataset.IMAGE_BYTES);
      labels[k] = data.label(i);
    }
  }

  /** A new batch of the images at {@code indices}; see {@link #fill}. */
  public Batch assemble(int[] indices, boolean augment, long seed, long step) {
    Objects.requireNonNull(indices, "indices");
    if (indices.length > ImageDataset.MAX_IMAGES) {
      throw new IllegalArgumentException("batch of " + indices.length + " exceeds " + ImageDataset.MAX_IMAGES);
    }
    float[] images = new float[indices.length * ImageDataset.IMAGE_BYTES];
    int[] labels = new int[indices.length];
    fill(indices, augment, seed, step, images, labels);
    return new Batch(images, labels);
  }

  /**
   * The batch of {@link #assemble} as NDArrays on {@code manager}: float32 images of shape
   * {@code (N, 3, 32, 32)} and int64 labels of shape {@code (N)}.
   */
  public NDList toNDList(NDManager manager, int[] indices, boolean augment, long seed, long step) {
    return assemble(indices, augment, seed, step).toNDList(manager);
  }
}
