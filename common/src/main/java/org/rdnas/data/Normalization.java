package org.rdnas.data;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Objects;

/**
 * Per-channel normalisation of a uint8 pixel, {@code ((x / 255) - mean[c]) / std[c]} in float32
 * arithmetic in that order, as torchvision's {@code ToTensor} then {@code Normalize} compute it.
 */
public final class Normalization implements Serializable {

  private static final long serialVersionUID = 1L;

  // The CIFAR-10 training-set statistics used by the NAS-Bench-201 / RD-NAS training code.
  private static final float[] CIFAR10_MEAN = {0.4914f, 0.4822f, 0.4465f};
  private static final float[] CIFAR10_STD = {0.2470f, 0.2435f, 0.2616f};
  private static final Normalization CIFAR10 = new Normalization(CIFAR10_MEAN, CIFAR10_STD);
  // The ImageNet training-set statistics torchvision's ImageNet models are trained with.
  private static final float[] IMAGENET_MEAN = {0.485f, 0.456f, 0.406f};
  private static final float[] IMAGENET_STD = {0.229f, 0.224f, 0.225f};
  private static final Normalization IMAGENET = new Normalization(IMAGENET_MEAN, IMAGENET_STD);

  private final float[] mean;
  private final float[] std;
  /** table[c * 256 + x] = normalised value of byte x in channel c. */
  private final float[] table;

  private Normalization(float[] mean, float[] std) {
    this.mean = mean.clone();
    this.std = std.clone();
    this.table = new float[ImageDataset.CHANNELS * 256];
    for (int c = 0; c < ImageDataset.CHANNELS; c++) {
      for (int x = 0; x < 256; x++) {
        table[c * 256 + x] = ((float) x / 255f - this.mean[c]) / this.std[c];
      }
    }
  }

  /** CIFAR-10's defaults: mean (0.4914, 0.4822, 0.4465), std (0.2470, 0.2435, 0.2616). */
  public static Normalization cifar10() {
    return CIFAR10;
  }

  /**
   * ImageNet's: mean (0.485, 0.456, 0.406), std (0.229, 0.224, 0.225); what image-folder datasets
   * use.
   */
  public static Normalization imagenet() {
    return IMAGENET;
  }

  /** Only {@code x / 255}: mean 0 and std 1 in every channel. */
  public static Normalization unitScale() {
    return of(new float[] {0f, 0f, 0f}, new float[] {1f, 1f, 1f});
  }

  /** Normalisation with the given three channel means and standard deviations (all finite, std > 0). */
  public static Normalization of(float[] mean, float[] std) {
    Objects.requireNonNull(mean, "mean");
    Objects.requireNonNull(std, "std");
    if (mean.length != ImageDataset.CHANNELS || std.length != ImageDataset.CHANNELS) {
      throw new IllegalArgumentException("need " + ImageDataset.CHANNELS + " means and stds, got "
          + mean.length + " and " + std.length);
    }
    for (int c = 0; c < ImageDataset.CHANNELS; c++) {
      if (!Float.isFinite(mean[c])) {
        throw new IllegalArgumentException("mean[" + c + "] must be finite, got " + mean[c]);
      }
      if (!(std[c] > 0f) || !Float.isFinite(std[c])) {
        throw new IllegalArgumentException("std[" + c + "] must be finite and > 0, got " + std[c]);
      }
    }
    return new Normalization(mean, std);
  }

  /** Mean of channel {@code c}. */
  public float mean(int c) {
    return mean[c];
  }

  /** Standard deviation of channel {@code c}. */
  public float std(int c) {
    return std[c];
  }

  /** Normalised value of pixel byte {@code x} (0-255) in channel {@code c}. */
  public float apply(int c, int x) {
    if (c < 0 || c >= ImageDataset.CHANNELS || x < 0 || x > 255) {
      throw new IndexOutOfBoundsException("channel " + c + " / pixel " + x + " outside 0..2 / 0..255");
    }
    return table[c * 256 + x];
  }

  /**
   * Writes the normalised planar 32 px image {@code src[srcOff .. srcOff + 3072)} into
   * {@code dst[dstOff .. dstOff + 3072)} (CHW order, as NCHW needs).
   */
  public void apply(byte[] src, int srcOff, float[] dst, int dstOff) {
    apply(src, srcOff, dst, dstOff, Cifar10.SIDE);
  }

  /**
   * Writes the normalised planar {@code side} px image {@code src[srcOff .. srcOff + 3*side*side)}
   * into {@code dst[dstOff .. dstOff + 3*side*side)} (CHW order, as NCHW needs).
   */
  public void apply(byte[] src, int srcOff, float[] dst, int dstOff, int side) {
    int plane = side * side;
    for (int c = 0; c < ImageDataset.CHANNELS; c++) {
      int t = c * 256;
      int base = c * plane;
      for (int p = 0; p < plane; p++) {
        dst[dstOff + base + p] = table[t + (src[srcOff + base + p] & 0xFF)];
      }
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Normalization n && Arrays.equals(mean, n.mean) && Arrays.equals(std, n.std);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(mean) + Arrays.hashCode(std);
  }

  @Override
  public String toString() {
    return "Normalization[mean=" + Arrays.toString(mean) + ", std=" + Arrays.toString(std) + "]";
  }
}
