package org.rdnas.data;

import java.io.Serializable;
import java.util.SplittableRandom;
import org.rdnas.util.Seeds;

/**
 * The standard CIFAR augmentation, torchvision's {@code RandomCrop(side, padding)} then
 * {@code RandomHorizontalFlip(0.5)} on raw uint8 pixels, with each image's draw a pure function of
 * (seed, step, sample index) so that any batch can be recomputed on its own. The draw does not
 * depend on the image side; {@link #apply(byte[], int, Draw, byte[], int, int)} takes it.
 */
public record Augmentation(int padding, double flipProbability) implements Serializable {

  private static final Augmentation STANDARD = new Augmentation(4, 0.5);
  /** Largest padding accepted (far beyond any image side used here). */
  private static final int MAX_PADDING = 1 << 16;

  /**
   * Zero padding of {@code padding} (0 to 65,536) on each side and a flip probability in [0, 1].
   */
  public Augmentation {
    if (padding < 0 || padding > MAX_PADDING) {
      throw new IllegalArgumentException("padding must be in 0.." + MAX_PADDING + ", got " + padding);
    }
    if (!(flipProbability >= 0.0 && flipProbability <= 1.0)) {
      throw new IllegalArgumentException("flip probability must be in [0, 1], got " + flipProbability);
    }
  }

  /** Zero padding of 4 on each side, random 32x32 crop, horizontal flip with probability 0.5. */
  public static Augmentation standard() {
    return STANDARD;
  }

  /**
   * The standard augmentation for {@code side} px images: padding {@code side / 8} (integer
   * division, e.g. 8 at 64 px and 28 at 224 px; 4 at 32 px, so {@code standard(32)} is
   * {@link #standard()}), and horizontal flip with probability 0.5.
   */
  public static Augmentation standard(int side) {
    if (side < 1) {
      throw new IllegalArgumentException("image side must be >= 1, got " + side);
    }
    int pad = side / 8;
    return pad == STANDARD.padding() ? STANDARD : new Augmentation(pad, 0.5);
  }

  /** The crop offset and flip for {@code sample} in {@code step} of a run seeded with {@code seed}. */
  public Draw draw(long seed, long step, long sample) {
    SplittableRandom rng = new SplittableRandom(Seeds.mix(seed, step, sample));
    int top = rng.nextInt(2 * padding + 1);
    int left = rng.nextInt(2 * padding + 1);
    boolean flip = rng.nextDouble() < flipProbability;
    return new Draw(top, left, flip);
  }

  /** {@link #apply(byte[], int, Draw, byte[], int, int)} on a 32 px image. */
  public void apply(byte[] src, int srcOff, Draw draw, byte[] dst, int dstOff) {
    apply(src, srcOff, draw, dst, dstOff, Cifar10.SIDE);
  }

  /**
   * Writes the augmented planar {@code side} px image into {@code dst[dstOff ..)}: pixel (y, x) of
   * channel c is the zero-padded source at row {@code y + top - padding} and column
   * {@code x' + left - padding}, where {@code x' = side - 1 - x} when flipped and {@code x}
   * otherwise (crop first, then flip, as torchvision).
   */
  public void apply(byte[] src, int srcOff, Draw draw, byte[] dst, int dstOff, int side) {
    int max = 2 * padding;
    if (draw.top() > max || draw.left() > max) {
      throw new IllegalArgumentException(draw + " exceeds the crop range 0.." + max + " of padding " + padding);
    }
    if (side < 1) {
      throw new IllegalArgumentException("image side must be >= 1, got " + side);
    }
    int dy = draw.top() - padding;
    int dx = draw.left() - padding;
    for (int c = 0; c < ImageDataset.CHANNELS; c++) {
      int plane = c * side * side;
      for (int y = 0; y < side; y++) {
        int sy = y + dy;
        int row = dstOff + plane + y * side;
        if (sy < 0 || sy >= side) {
          for (int x = 0; x < side; x++) {
            dst[row + x] = 0;
          }
          continue;
        }
        int srcRow = srcOff + plane + sy * side;
        for (int x = 0; x < side; x++) {
          int sx = (draw.flip() ? side - 1 - x : x) + dx;
          dst[row + x] = sx < 0 || sx >= side ? 0 : src[srcRow + sx];
        }
      }
    }
  }

  /**
   * One image's draw: crop origin ({@code top}, {@code left}) in the padded image, each in
   * {@code 0..2*padding}, and whether to flip horizontally.
   */
  public record Draw(int top, int left, boolean flip) implements Serializable {
    public Draw {
      if (top < 0 || left < 0) {
        throw new IllegalArgumentException("crop origin must be >= 0, got top=" + top + ", left=" + left);
      }
    }
  }
}
