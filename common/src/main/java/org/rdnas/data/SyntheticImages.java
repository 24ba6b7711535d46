package org.rdnas.data;

import java.util.SplittableRandom;
import org.rdnas.util.Seeds;

/**
 * A learnable stand-in for CIFAR-10 of the same shape: each of the 10 classes has a fixed smooth
 * random colour template (seeded per class, upsampled from an 8x8 grid), and each image is its
 * class template plus a weaker copy (weight up to 0.5) of another class's, both shifted by a few
 * pixels, with a brightness offset and per-pixel Gaussian noise, stored as uint8 bytes like CIFAR-10.
 * Image {@code i} of a given seed is the same whatever the count, and labels are balanced: every
 * block of ten consecutive images holds each class once.
 */
public final class SyntheticImages {

  /** Template seed of {@link #standard()}: every dataset made with it shares the same ten classes. */
  public static final long STANDARD_TEMPLATE_SEED = 20230101L;

  private static final int SIDE = Cifar10.SIDE;
  private static final int PLANE = SIDE * SIDE;
  private static final int IMAGE_BYTES = Cifar10.IMAGE_BYTES;
  private static final int CLASSES = Cifar10.CLASSES;
  private static final int GRID = 8;
  private static final double AMPLITUDE = 60.0;
  private static final double MAX_BRIGHTNESS = 20.0;
  private static final double MAX_DISTRACTOR = 0.5;
  private static final long LABEL_TAG = 0x4C4142454CL;
  private static final long IMAGE_TAG = 0x494D414745L;
  private static final long TEMPLATE_TAG = 0x54504CL;

  private final long templateSeed;
  private final double noiseStd;
  private final int maxShift;
  private final int canvas;
  /** templates[((cls * 3 + c) * canvas + y) * canvas + x]: offset from mid-grey, before shift. */
  private final float[] templates;

  private SyntheticImages(long templateSeed, double noiseStd, int maxShift) {
    this.templateSeed = templateSeed;
    this.noiseStd = noiseStd;
    this.maxShift = maxShift;
    this.canvas = SIDE + 2 * maxShift;
    this.templates = buildTemplates();
  }

  /**
   * Templates from {@link #STANDARD_TEMPLATE_SEED}, noise std 64 grey levels, shifts of up to 8
   * pixels: hard enough that a nearest-class-mean classifier on raw pixels gets about 75% while the
   * shifts reward translation-invariant (convolutional) models.
   */
  public static SyntheticImages standard() {
    return of(STANDARD_TEMPLATE_SEED, 64.0, 8);
  }

  /**
   * A generator whose class templates come from {@code templateSeed}, with per-pixel noise of
   * standard deviation {@code noiseStd} grey levels (0-255) and shifts of up to {@code maxShift}
   * (0-16) pixels in each direction.
   */
  public static SyntheticImages of(long templateSeed, double noiseStd, int maxShift) {
    if (!(noiseStd >= 0.0 && noiseStd <= 255.0)) {
      throw new IllegalArgumentException("noise std must be in [0, 255] grey levels, got " + noiseStd);
    }
    if (maxShift < 0 || maxShift > SIDE / 2) {
      throw new IllegalArgumentException("max shift must be in 0.." + SIDE / 2 + ", got " + maxShift);
    }
    return new SyntheticImages(templateSeed, noiseStd, maxShift);
  }

  /** {@code count} images (1 to {@link ImageDataset#maxImages ImageDataset.maxImages(32)}) drawn with {@code seed}. */
  public ImageDataset generate(int count, long seed) {
    if (count < 1 || count > ImageDataset.maxImages(SIDE)) {
      throw new IllegalArgumentException("synthetic image count must be in 1.." + ImageDataset.maxImages(SIDE)
          + ", got " + count);
    }
    byte[] images = new byte[count * IMAGE_BYTES];
    byte[] labels = new byte[count];
    int[] block = new int[CLASSES];
    for (int start = 0; start < count; start += CLASSES) {
      shuffledClasses(seed, start / CLASSES, block);
      for (int k = 0; k < CLASSES && start + k < count; k++) {
        labels[start + k] = (byte) block[k];
        render(block[k], seed, start + k, images, (start + k) * IMAGE_BYTES);
      }
    }
    String origin = "synthetic(templateSeed=" + templateSeed + ", noiseStd=" + noiseStd + ", maxShift="
        + maxShift + ", seed=" + seed + ", count=" + count + ")";
    return ImageDataset.wrap(images, labels, origin);
  }

  private void shuffledClasses(long seed, int blockIndex, int[] out) {
    for (int k = 0; k < out.length; k++) {
      out[k] = k;
    }
    SplittableRandom rng = new SplittableRandom(Seeds.mix(seed, blockIndex, LABEL_TAG));
    for (int k = out.length - 1; k > 0; k--) {
      int j = rng.nextInt(k + 1);
      int t = out[k];
      out[k] = out[j];
      out[j] = t;
    }
  }

  private void render(int cls, long seed, int index, byte[] dst, int off) {
    SplittableRandom rng = new SplittableRandom(Seeds.mix(seed, index, IMAGE_TAG));
    int sy = rng.nextInt(2 * maxShift + 1);
    int sx = rng.nextInt(2 * maxShift + 1);
    double brightness = (2 * rng.nextDouble() - 1) * MAX_BRIGHTNESS;
    int other = (cls + 1 + rng.nextInt(CLASSES - 1)) % CLASSES;
    double mix = rng.nextDouble() * MAX_DISTRACTOR;
    int side = SIDE;
    double spare = Double.NaN;
    for (int c = 0; c < ImageDataset.CHANNELS; c++) {
      int t = (cls * ImageDataset.CHANNELS + c) * canvas;
      int o = (other * ImageDataset.CHANNELS + c) * canvas;
      for (int y = 0; y < side; y++) {
        for (int x = 0; x < side; x++) {
          double noise;
          if (Double.isNaN(spare)) {
            // Box-Muller with StrictMath, so images are bit-identical on every JVM.
            double u = 1.0 - rng.nextDouble();
            double r = StrictMath.sqrt(-2.0 * StrictMath.log(u));
            double a = 2.0 * StrictMath.PI * rng.nextDouble();
            noise = r * StrictMath.cos(a);
            spare = r * StrictMath.sin(a);
          } else {
            noise = spare;
            spare = Double.NaN;
          }
          double v = 127.5 + templates[(t + y + sy) * canvas + x + sx]
              + mix * templates[(o + y + sy) * canvas + x + sx] + brightness + noiseStd * noise;
          long q = Math.round(v);
          dst[off + c * PLANE + y * side + x] = (byte) (q < 0 ? 0 : q > 255 ? 255 : q);
        }
      }
    }
  }

  private float[] buildTemplates() {
    float[] out = new float[CLASSES * ImageDataset.CHANNELS * canvas * canvas];
    double[] grid = new double[GRID * GRID];
    double scale = (GRID - 1) / (double) (canvas - 1);
    for (int cls = 0; cls < CLASSES; cls++) {
      SplittableRandom rng = new SplittableRandom(Seeds.mix(templateSeed, cls, TEMPLATE_TAG));
      for (int c = 0; c < ImageDataset.CHANNELS; c++) {
        for (int g = 0; g < grid.length; g++) {
          grid[g] = 2 * rng.nextDouble() - 1;
        }
        int base = (cls * ImageDataset.CHANNELS + c) * canvas * canvas;
        for (int y = 0; y < canvas; y++) {
          double gy = y * scale;
          int y0 = Math.min((int) gy, GRID - 2);
          double fy = gy - y0;
          for (int x = 0; x < canvas; x++) {
            double gx = x * scale;
            int x0 = Math.min((int) gx, GRID - 2);
            double fx = gx - x0;
            double top = grid[y0 * GRID + x0] * (1 - fx) + grid[y0 * GRID + x0 + 1] * fx;
            double bottom = grid[(y0 + 1) * GRID + x0] * (1 - fx) + grid[(y0 + 1) * GRID + x0 + 1] * fx;
            out[base + y * canvas + x] = (float) (AMPLITUDE * (top * (1 - fy) + bottom * fy));
          }
        }
      }
    }
    return out;
  }

  @Override
  public String toString() {
    return "SyntheticImages[templateSeed=" + templateSeed + ", noiseStd=" + noiseStd + ", maxShift=" + maxShift + "]";
  }
}
