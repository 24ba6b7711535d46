package org.rdnas.data;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Objects;
import java.util.SplittableRandom;
import org.rdnas.util.Seeds;

/**
 * Labelled 3x32x32 uint8 images in CIFAR-10's planar layout (1,024 R, then G, then B bytes per
 * image, each plane row-major), held as one {@code byte[]} of pixels and one of labels; subsets and
 * splits are index views over the same storage. Immutable, so safe to share between threads.
 */
public final class ImageDataset implements Serializable {

  private static final long serialVersionUID = 1L;

  /** Image side in pixels. */
  public static final int SIDE = 32;
  /** Colour channels per image. */
  public static final int CHANNELS = 3;
  /** Pixels per channel plane (32 x 32). */
  public static final int PLANE = SIDE * SIDE;
  /** Bytes per image (3 x 32 x 32). */
  public static final int IMAGE_BYTES = CHANNELS * PLANE;
  /** Number of classes; labels are 0 to 9. */
  public static final int NUM_CLASSES = 10;
  /** Most images one dataset can hold: the pixel array is a single Java array. */
  public static final int MAX_IMAGES = Integer.MAX_VALUE / IMAGE_BYTES;

  private final byte[] images;
  private final byte[] labels;
  /** Base record of each element of this view; null means the identity (all base records). */
  private final int[] index;
  private final String origin;

  private ImageDataset(byte[] images, byte[] labels, int[] index, String origin) {
    this.images = images;
    this.labels = labels;
    this.index = index;
    this.origin = origin;
  }

  /**
   * A dataset over copies of {@code images} ({@code n * 3072} bytes, planar RGB) and {@code labels}
   * ({@code n} values 0-9); {@code origin} says where the data came from, for provenance.
   */
  public static ImageDataset of(byte[] images, byte[] labels, String origin) {
    Objects.requireNonNull(images, "images");
    Objects.requireNonNull(labels, "labels");
    return wrap(images.clone(), labels.clone(), origin);
  }

  /** As {@link #of} but takes ownership of the arrays without copying them. */
  static ImageDataset wrap(byte[] images, byte[] labels, String origin) {
    Objects.requireNonNull(origin, "origin");
    if ((long) labels.length * IMAGE_BYTES != images.length) {
      throw new IllegalArgumentException("images has " + images.length + " bytes but " + labels.length
          + " labels need " + (long) labels.length * IMAGE_BYTES + " (" + IMAGE_BYTES + " per image)");
    }
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] < 0 || labels[i] >= NUM_CLASSES) {
        throw new IllegalArgumentException("label " + labels[i] + " of image " + i + " is not in 0.."
            + (NUM_CLASSES - 1));
      }
    }
    return new ImageDataset(images, labels, null, origin);
  }

  /** Number of images in this dataset or view. */
  public int size() {
    return index == null ? labels.length : index.length;
  }

  /** Class label (0-9) of image {@code i}. */
  public int label(int i) {
    return labels[base(i)];
  }

  /** Pixel value (0-255) of image {@code i} at channel {@code c}, row {@code y}, column {@code x}. */
  public int pixel(int i, int c, int y, int x) {
    if (c < 0 || c >= CHANNELS || y < 0 || y >= SIDE || x < 0 || x >= SIDE) {
      throw new IndexOutOfBoundsException("pixel (c=" + c + ", y=" + y + ", x=" + x + ") outside 3x32x32");
    }
    return images[base(i) * IMAGE_BYTES + c * PLANE + y * SIDE + x] & 0xFF;
  }

  /** A copy of image {@code i}'s 3,072 planar bytes. */
  public byte[] image(int i) {
    int off = base(i) * IMAGE_BYTES;
    return Arrays.copyOfRange(images, off, off + IMAGE_BYTES);
  }

  /** Copies image {@code i}'s 3,072 planar bytes into {@code dst} at {@code offset}. */
  public void copyImage(int i, byte[] dst, int offset) {
    System.arraycopy(images, base(i) * IMAGE_BYTES, dst, offset, IMAGE_BYTES);
  }

  /** Index of image {@code i} in the dataset this view was taken from (its file record, for read data). */
  public int baseIndex(int i) {
    return base(i);
  }

  /** Number of images of each class, indexed by label. */
  public int[] labelCounts() {
    int[] counts = new int[NUM_CLASSES];
    for (int i = 0; i < size(); i++) {
      counts[label(i)]++;
    }
    return counts;
  }

  /** Where the data came from and which views were taken, e.g. {@code cifar10 file:/d/test_batch.bin}. */
  public String origin() {
    return origin;
  }

  /**
   * A view of the images at {@code indices} (in that order, repeats allowed), sharing this dataset's
   * storage.
   */
  public ImageDataset subset(int[] indices) {
    Objects.requireNonNull(indices, "indices");
    int[] mapped = new int[indices.length];
    for (int k = 0; k < indices.length; k++) {
      mapped[k] = base(indices[k]);
    }
    return new ImageDataset(images, labels, mapped, origin + " subset(" + indices.length + ")");
  }

  /** A view of the first {@code n} images (all of them when {@code n >= size()}). */
  public ImageDataset head(int n) {
    if (n < 0) {
      throw new IllegalArgumentException("head size must be >= 0, got " + n);
    }
    if (n >= size()) {
      return this;
    }
    int[] first = new int[n];
    Arrays.setAll(first, k -> k);
    return subset(first);
  }

  /**
   * Splits this dataset into two disjoint views: {@code heldOut} images chosen uniformly at random
   * by {@code seed}, and the rest; each part keeps this dataset's order, and the same seed gives the
   * same split.
   */
  public Split split(int heldOut, long seed) {
    int n = size();
    if (heldOut < 0 || heldOut > n) {
      throw new IllegalArgumentException("held-out count must be in 0.." + n + ", got " + heldOut);
    }
    int[] perm = new int[n];
    Arrays.setAll(perm, k -> k);
    SplittableRandom rng = new SplittableRandom(Seeds.mix(seed, n, heldOut));
    for (int k = n - 1; k > 0; k--) {
      int j = rng.nextInt(k + 1);
      int t = perm[k];
      perm[k] = perm[j];
      perm[j] = t;
    }
    int[] out = Arrays.copyOfRange(perm, 0, heldOut);
    int[] in = Arrays.copyOfRange(perm, heldOut, n);
    Arrays.sort(out);
    Arrays.sort(in);
    String tag = " split(seed=" + seed + ", heldOut=" + heldOut + ")";
    ImageDataset train = new ImageDataset(images, labels, mapAll(in), origin + tag + ".train");
    ImageDataset held = new ImageDataset(images, labels, mapAll(out), origin + tag + ".heldOut");
    return new Split(train, held);
  }

  /** A dataset with its own compact storage holding exactly this view's images, in order. */
  public ImageDataset compact() {
    if (index == null) {
      return this;
    }
    int n = index.length;
    byte[] img = new byte[n * IMAGE_BYTES];
    byte[] lab = new byte[n];
    for (int k = 0; k < n; k++) {
      System.arraycopy(images, index[k] * IMAGE_BYTES, img, k * IMAGE_BYTES, IMAGE_BYTES);
      lab[k] = labels[index[k]];
    }
    return new ImageDataset(img, lab, null, origin);
  }

  @Override
  public String toString() {
    return "ImageDataset[" + size() + " images, " + origin + "]";
  }

  private int base(int i) {
    if (i < 0 || i >= size()) {
      throw new IndexOutOfBoundsException("image index " + i + " outside 0.." + (size() - 1));
    }
    return index == null ? i : index[i];
  }

  private int[] mapAll(int[] viewIndices) {
    if (index == null) {
      return viewIndices;
    }
    int[] mapped = new int[viewIndices.length];
    for (int k = 0; k < viewIndices.length; k++) {
      mapped[k] = index[viewIndices[k]];
    }
    return mapped;
  }

  /** The two disjoint parts of {@link ImageDataset#split}: the kept images and the held-out ones. */
  public record Split(ImageDataset train, ImageDataset heldOut) implements Serializable {
    public Split {
      Objects.requireNonNull(train, "train");
      Objects.requireNonNull(heldOut, "heldOut");
    }
  }
}
