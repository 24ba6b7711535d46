package org.rdnas.data;

import java.io.Serializable;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.SplittableRandom;
import org.rdnas.util.Seeds;

/**
 * Labelled square RGB uint8 images in CIFAR-10's planar layout ({@code side x side} R bytes, then
 * G, then B per image, each plane row-major), held as one {@code byte[]} of pixels and one label
 * array; subsets and splits are index views over the same storage. Every dataset carries its own
 * image side, class count (labels are {@code 0..classes-1}), class names where its source knows
 * them, and the per-channel normalisation its images are fed to networks with (CIFAR-10's for
 * CIFAR-10 and the synthetic images, ImageNet's for image folders). Immutable, so safe to share
 * between threads.
 */
public final class ImageDataset implements Serializable {

  private static final long serialVersionUID = 2L;

  /** Colour channels per image (always RGB). */
  public static final int CHANNELS = 3;

  private final byte[] images;
  private final int[] labels;
  /** Base record of each element of this view; null means the identity (all base records). */
  private final int[] index;
  private final String origin;
  private final int side;
  private final int classes;
  /** Class names by label, or null when the source does not name its classes. */
  private final String[] classNames;
  private final Normalization normalization;

  private ImageDataset(byte[] images, int[] labels, int[] index, String origin, int side, int classes,
      String[] classNames, Normalization normalization) {
    this.images = images;
    this.labels = labels;
    this.index = index;
    this.origin = origin;
    this.side = side;
    this.classes = classes;
    this.classNames = classNames;
    this.normalization = normalization;
  }

  /** A view of other images over this dataset's shape, names and normalisation. */
  private ImageDataset view(int[] newIndex, String newOrigin) {
    return new ImageDataset(images, labels, newIndex, newOrigin, side, classes, classNames, normalization);
  }

  /**
   * A CIFAR-10-shaped dataset (32 px, 10 classes, CIFAR-10 normalisation) over copies of
   * {@code images} ({@code n * 3072} bytes, planar RGB) and {@code labels} ({@code n} values 0-9);
   * {@code origin} says where the data came from, for provenance.
   */
  public static ImageDataset of(byte[] images, byte[] labels, String origin) {
    Objects.requireNonNull(images, "images");
    Objects.requireNonNull(labels, "labels");
    return wrap(images.clone(), labels.clone(), origin);
  }

  /**
   * A dataset of {@code side} px images over copies of {@code images} ({@code n * 3 * side * side}
   * bytes, planar RGB) and {@code labels} ({@code n} values in {@code 0..classes-1}).
   *
   * @param classNames the name of each class by label ({@code classes} of them), or null
   * @param normalization how a network sees these images
   */
  public static ImageDataset of(byte[] images, int[] labels, int side, int classes, List<String> classNames,
      Normalization normalization, String origin) {
    Objects.requireNonNull(images, "images");
    Objects.requireNonNull(labels, "labels");
    return wrap(images.clone(), labels.clone(), side, classes, classNames, normalization, origin);
  }

  /** As {@link #of(byte[], byte[], String)} but takes ownership of the arrays without copying them. */
  static ImageDataset wrap(byte[] images, byte[] labels, String origin) {
    int[] wide = new int[labels.length];
    for (int i = 0; i < labels.length; i++) {
      wide[i] = labels[i];
    }
    return wrap(images, wide, Cifar10.SIDE, Cifar10.CLASSES, null, Normalization.cifar10(), origin);
  }

  /** As {@link #of(byte[], int[], int, int, List, Normalization, String)} without copying the arrays. */
  static ImageDataset wrap(byte[] images, int[] labels, int side, int classes, List<String> classNames,
      Normalization normalization, String origin) {
    Objects.requireNonNull(origin, "origin");
    Objects.requireNonNull(normalization, "normalization");
    if (side < 1) {
      throw new IllegalArgumentException("image side must be >= 1, got " + side);
    }
    if (classes < 1) {
      throw new IllegalArgumentException("class count must be >= 1, got " + classes);
    }
    if (classNames != null && classNames.size() != classes) {
      throw new IllegalArgumentException(classNames.size() + " class names for " + classes + " classes");
    }
    long imageBytes = imageBytes(side);
    if ((long) labels.length * imageBytes != images.length) {
      throw new IllegalArgumentException("images has " + images.length + " bytes but " + labels.length
          + " labels need " + (long) labels.length * imageBytes + " (" + imageBytes + " per image)");
    }
    for (int i = 0; i < labels.length; i++) {
      if (labels[i] < 0 || labels[i] >= classes) {
        throw new IllegalArgumentException("label " + labels[i] + " of image " + i + " is not in 0.."
            + (classes - 1));
      }
    }
    String[] names = classNames == null ? null : classNames.toArray(new String[0]);
    return new ImageDataset(images, labels, null, origin, side, classes, names, normalization);
  }

  /** Bytes of one {@code side} px RGB image: {@code 3 * side * side}. */
  public static long imageBytes(int side) {
    return (long) CHANNELS * side * side;
  }

  /**
   * Most {@code side} px images one dataset can hold: the pixels are a single Java array, so
   * images x {@link #imageBytes bytes per image} must not exceed {@link Integer#MAX_VALUE}
   * (699,050 images at 32 px).
   */
  public static int maxImages(int side) {
    return (int) (Integer.MAX_VALUE / imageBytes(side));
  }

  /** Side in pixels of every image (32 for CIFAR-10 and the synthetic images). */
  public int side() {
    return side;
  }

  /** Number of classes; labels are {@code 0..classes()-1} (10 for CIFAR-10 and the synthetic images). */
  public int classes() {
    return classes;
  }

  /** Class names by label where the source names its classes (an image folder's sub-folders), else empty. */
  public Optional<List<String>> classNames() {
    return classNames == null ? Optional.empty() : Optional.of(List.of(classNames));
  }

  /** Pixels per channel plane, {@code side * side}. */
  public int plane() {
    return side * side;
  }

  /** Bytes per image, {@code 3 * side * side}. */
  public int imageBytes() {
    return CHANNELS * side * side;
  }

  /** The per-channel normalisation networks see these images with (CIFAR-10's or ImageNet's statistics). */
  public Normalization normalization() {
    return normalization;
  }

  /** Number of images in this dataset or view. */
  public int size() {
    return index == null ? labels.length : index.length;
  }

  /** Class label ({@code 0..classes()-1}) of image {@code i}. */
  public int label(int i) {
    return labels[base(i)];
  }

  /** Pixel value (0-255) of image {@code i} at channel {@code c}, row {@code y}, column {@code x}. */
  public int pixel(int i, int c, int y, int x) {
    if (c < 0 || c >= CHANNELS || y < 0 || y >= side || x < 0 || x >= side) {
      throw new IndexOutOfBoundsException("pixel (c=" + c + ", y=" + y + ", x=" + x + ") outside 3x" + side
          + "x" + side);
    }
    return images[base(i) * imageBytes() + c * plane() + y * side + x] & 0xFF;
  }

  /** A copy of image {@code i}'s {@link #imageBytes()} planar bytes (3,072 at 32 px). */
  public byte[] image(int i) {
    int bytes = imageBytes();
    int off = base(i) * bytes;
    return Arrays.copyOfRange(images, off, off + bytes);
  }

  /** Copies image {@code i}'s {@link #imageBytes()} planar bytes into {@code dst} at {@code offset}. */
  public void copyImage(int i, byte[] dst, int offset) {
    int bytes = imageBytes();
    System.arraycopy(images, base(i) * bytes, dst, offset, bytes);
  }

  /** Index of image {@code i} in the dataset this view was taken from (its file record, for read data). */
  public int baseIndex(int i) {
    return base(i);
  }

  /** Number of images of each class, indexed by label. */
  public int[] labelCounts() {
    int[] counts = new int[classes];
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
    return view(mapped, origin + " subset(" + indices.length + ")");
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
    ImageDataset train = view(mapAll(in), origin + tag + ".train");
    ImageDataset held = view(mapAll(out), origin + tag + ".heldOut");
    return new Split(train, held);
  }

  /** A dataset with its own compact storage holding exactly this view's images, in order. */
  public ImageDataset compact() {
    if (index == null) {
      return this;
    }
    int n = index.length;
    int bytes = imageBytes();
    byte[] img = new byte[n * bytes];
    int[] lab = new int[n];
    for (int k = 0; k < n; k++) {
      System.arraycopy(images, index[k] * bytes, img, k * bytes, bytes);
      lab[k] = labels[index[k]];
    }
    return new ImageDataset(img, lab, null, origin, side, classes, classNames, normalization);
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
