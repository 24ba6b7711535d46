package org.rdnas.data;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import javax.imageio.ImageIO;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.rdnas.io.HadoopPaths;
import org.rdnas.io.InputException;
import org.rdnas.util.Seeds;

/**
 * Reader for a folder of images in the ImageNet / torchvision {@code ImageFolder} layout: the root
 * holds one sub-folder per class, each holding JPEG or PNG files, read through the Hadoop
 * FileSystem API (so {@code file:} and {@code hdfs:} paths work; a path without a scheme resolves
 * against {@code fs.defaultFS}).
 *
 * <ul>
 *   <li>Classes: the root's sub-folders sorted by name ({@link String#compareTo}, code-point order
 *       as Python's {@code sorted}) get labels {@code 0..K-1}, as torchvision's {@code ImageFolder}
 *       assigns them. Hidden entries (names starting with {@code .}) and plain files in the root
 *       are ignored.
 *   <li>Images: the files directly in a class folder whose names end in {@code .jpg}, {@code .jpeg}
 *       or {@code .png} (any case), in name order; hidden files, other files and nested folders are
 *       ignored (torchvision also walks nested folders; this reader does not).
 *   <li>Decoding: {@link ImageIO} (the JDK's JPEG and PNG readers; headless). Any colour model is
 *       turned into RGB as PIL's {@code convert("RGB")} does: grey is copied to R, G and B (16-bit
 *       grey keeps its high byte), palette entries are looked up, alpha is dropped (not composited).
 *       A JPEG the JDK cannot read (e.g. most CMYK ones) is reported as undecodable.
 *   <li>Resizing ({@link #resizeCrop}): the shorter side to {@code size} by exact area averaging,
 *       then a centre crop to {@code size x size}, giving planar RGB bytes.
 * </ul>
 *
 * <p>Problems are reported naming the path and what is wrong: a missing root as
 * {@link FileNotFoundException}; a root that is a file, one without class folders, a class folder
 * without images and a dataset too large for one array as {@link InputException}; a file that
 * does not decode as {@link CorruptDataException} naming the file.
 */
public final class ImageFolder {

  /** The source's name in messages and origins. */
  public static final String FORMAT = "image-folder";
  /** The file name endings read as images, compared ignoring case. */
  public static final List<String> EXTENSIONS = List.of(".jpg", ".jpeg", ".png");

  private static final long SAMPLE_TAG = 0x494D47464FL;

  static {
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
    // Decode from memory: no temporary files in the working folder of an executor.
    ImageIO.setUseCache(false);
  }

  private ImageFolder() {}

  /** One image file: its fully qualified path, name within its class folder, and label. */
  public record Entry(String path, String name, int label) {}

  /**
   * What {@link #list} finds under a root.
   *
   * @param root the fully qualified root folder
   * @param classes the class folder names, sorted; index = label
   * @param files every image, in (class, file name) order
   */
  public record Listing(String root, List<String> classes, List<Entry> files) {
    public Listing {
      classes = List.copyOf(classes);
      files = List.copyOf(files);
    }
  }

  /**
   * Lists the classes and image files under {@code path} without reading the images.
   *
   * @throws FileNotFoundException when {@code path} does not exist
   * @throws InputException when it is not a folder, holds no class folders, or a class folder
   *     holds no image
   */
  public static Listing list(String path, Configuration conf) throws IOException {
    FileStatus status = HadoopPaths.status(path, FORMAT, "no such folder", conf);
    Path root = status.getPath();
    FileSystem fs = root.getFileSystem(conf);
    if (!status.isDirectory()) {
      throw new InputException(FORMAT + " " + root + ": is a file, not a folder; give the folder "
          + "that holds one sub-folder of images per class");
    }
    List<FileStatus> classDirs = new ArrayList<>();
    for (FileStatus child : fs.listStatus(root)) {
      if (child.isDirectory() && !hidden(child.getPath().getName())) {
        classDirs.add(child);
      }
    }
    if (classDirs.isEmpty()) {
      throw new InputException(FORMAT + " " + root + ": holds no class folders; the layout is "
          + "<root>/<class>/<image>.jpg|.jpeg|.png, one sub-folder per class");
    }
    classDirs.sort(Comparator.comparing(f -> f.getPath().getName()));
    List<String> classes = new ArrayList<>();
    List<Entry> files = new ArrayList<>();
    for (int label = 0; label < classDirs.size(); label++) {
      Path dir = classDirs.get(label).getPath();
      String cls = dir.getName();
      classes.add(cls);
      List<FileStatus> images = new ArrayList<>();
      for (FileStatus f : fs.listStatus(dir)) {
        if (f.isFile() && isImageName(f.getPath().getName())) {
          images.add(f);
        }
      }
      if (images.isEmpty()) {
        throw new InputException(FORMAT + " " + root + ": class folder '" + cls + "' holds no images "
            + "(files ending in " + String.join(", ", EXTENSIONS) + ", any case)");
      }
      images.sort(Comparator.comparing(f -> f.getPath().getName()));
      for (FileStatus f : images) {
        files.add(new Entry(f.getPath().toString(), f.getPath().getName(), label));
      }
    }
    return new Listing(root.toString(), classes, files);
  }

  /** Whether {@code name} is read as an image: not hidden, and ends in .jpg, .jpeg or .png (any case). */
  public static boolean isImageName(String name) {
    if (hidden(name)) {
      return false;
    }
    String lower = name.toLowerCase(Locale.ROOT);
    return EXTENSIONS.stream().anyMatch(lower::endsWith);
  }

  private static boolean hidden(String name) {
    return name.startsWith(".");
  }

  /**
   * Reads the images under {@code path} as {@code size} px RGB with ImageNet normalisation.
   *
   * @param limit how many images to read: all when {@code limit} is at least their number (e.g.
   *     {@link Cifar10#NO_LIMIT}), else a uniform sample of {@code limit} of them drawn with
   *     {@code seed} ({@link #sample}), kept in (class, file name) order
   * @throws FileNotFoundException when {@code path} does not exist
   * @throws InputException for a bad layout or a dataset too large for one array
   * @throws CorruptDataException naming the first file that does not decode
   */
  public static ImageDataset read(String path, int size, int limit, long seed, Configuration conf)
      throws IOException {
    if (size < 1) {
      throw new IllegalArgumentException(FORMAT + " image size must be >= 1, got " + size);
    }
    if (limit < 1) {
      throw new IllegalArgumentException("limit must be >= 1 (Cifar10.NO_LIMIT reads all images), got " + limit);
    }
    Listing listing = list(path, conf);
    List<Entry> all = listing.files();
    int[] chosen = sample(all.size(), limit, seed);
    int n = chosen.length;
    checkFits(listing.root(), n, size);
    int bytes = (int) ImageDataset.imageBytes(size);
    byte[] images = new byte[n * bytes];
    int[] labels = new int[n];
    FileSystem fs = new Path(listing.root()).getFileSystem(conf);
    for (int k = 0; k < n; k++) {
      Entry e = all.get(chosen[k]);
      BufferedImage img = decode(fs, e.path());
      byte[] pixels = resizeCrop(rgb(img), img.getWidth(), img.getHeight(), size);
      System.arraycopy(pixels, 0, images, k * bytes, bytes);
      labels[k] = e.label();
    }
    String origin = FORMAT + " " + listing.root() + " size=" + size
        + (n < all.size() ? " limit=" + n + " seed=" + seed : "");
    return ImageDataset.wrap(images, labels, size, listing.classes().size(), listing.classes(),
        Normalization.imagenet(), origin);
  }

  /**
   * Refuses {@code images} {@code size} px images that do not fit one Java array; the error names
   * the root and the sizes.
   */
  public static void checkFits(String root, long images, int size) {
    long bytes = ImageDataset.imageBytes(size);
    if (images > ImageDataset.maxImages(size)) {
      throw new InputException(FORMAT + " " + root + ": " + images + " images of " + size + " px ("
          + bytes + " bytes each, " + images * bytes + " in all) exceed the " + Integer.MAX_VALUE
          + " bytes one dataset can hold (at most " + ImageDataset.maxImages(size) + " images of that "
          + "size); set rdnas.data.limit or a smaller rdnas.data.image-size");
    }
  }

  /**
   * The indices of the images read out of {@code n} with limit {@code limit}: all of {@code 0..n-1}
   * when {@code limit >= n}, else {@code limit} distinct ones drawn uniformly without replacement
   * (a partial Fisher-Yates shuffle seeded by {@code (seed, n, limit)}), sorted ascending. The
   * same arguments give the same sample.
   */
  public static int[] sample(int n, int limit, long seed) {
    if (limit >= n) {
      int[] all = new int[n];
      Arrays.setAll(all, k -> k);
      return all;
    }
    int[] perm = new int[n];
    Arrays.setAll(perm, k -> k);
    SplittableRandom rng = new SplittableRandom(Seeds.mix(seed, n, limit, SAMPLE_TAG));
    for (int k = 0; k < limit; k++) {
      int j = k + rng.nextInt(n - k);
      int t = perm[k];
      perm[k] = perm[j];
      perm[j] = t;
    }
    int[] out = Arrays.copyOf(perm, limit);
    Arrays.sort(out);
    return out;
  }

  private static BufferedImage decode(FileSystem fs, String file) throws IOException {
    BufferedImage img;
    try (FSDataInputStream raw = fs.open(new Path(file)); InputStream in = raw) {
      img = ImageIO.read(in);
    } catch (FileNotFoundException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      // The JDK's readers throw IIOException for bad data and, on some faults, runtime exceptions.
      throw new CorruptDataException(FORMAT, file, "does not decode as an image: " + e, e);
    }
    if (img == null) {
      throw new CorruptDataException(FORMAT, file, "does not decode as an image: no JPEG or PNG "
          + "reader recognises its bytes", null);
    }
    if (img.getWidth() < 1 || img.getHeight() < 1) {
      throw new CorruptDataException(FORMAT, file, "decodes to an empty image (" + img.getWidth()
          + "x" + img.getHeight() + ")", null);
    }
    return img;
  }

  /**
   * The pixels of {@code img} as packed {@code 0xRRGGBB} ints, row-major: grey images (colour
   * space type GRAY without a palette, with or without alpha) copy the grey level (scaled to 8 bits
   * by keeping the high bits) to R, G and B, as PIL does, rather than going through Java's
   * linear-grey-to-sRGB conversion; every other colour model goes through
   * {@link BufferedImage#getRGB}, alpha dropped.
   */
  static int[] rgb(BufferedImage img) {
    int w = img.getWidth();
    int h = img.getHeight();
    int[] out = new int[w * h];
    ColorModel cm = img.getColorModel();
    if (!(cm instanceof IndexColorModel) && cm.getColorSpace().getType() == ColorSpace.TYPE_GRAY) {
      Raster r = img.getRaster();
      int bits = cm.getComponentSize(0);
      int[] row = new int[w];
      for (int y = 0; y < h; y++) {
        r.getSamples(0, y, w, 1, 0, row);
        for (int x = 0; x < w; x++) {
          int v = bits == 8 ? row[x] : bits > 8 ? row[x] >>> (bits - 8) : row[x] * 255 / ((1 << bits) - 1);
          v &= 0xFF;
          out[y * w + x] = v << 16 | v << 8 | v;
        }
      }
      return out;
    }
    img.getRGB(0, 0, w, h, out, 0, w);
    for (int i = 0; i < out.length; i++) {
      out[i] &= 0xFFFFFF;
    }
    return out;
  }

  /**
   * Resizes a {@code w x h} image of packed {@code 0xRRGGBB} pixels so that its shorter side is
   * {@code size}, then crops the centre {@code size x size}, returning planar RGB bytes (R plane,
   * G plane, B plane, each row-major).
   *
   * <p>Exactly: the resized width and height are {@code size} for the shorter side and
   * {@code floor(size * long / short)} for the longer (torchvision's {@code Resize(size)} rule;
   * a square stays square). The crop starts at {@code top = rint((H' - size) / 2)} and
   * {@code left = rint((W' - size) / 2)}, rounding halves to even (torchvision's
   * {@code CenterCrop}, Python's {@code round}). Resized pixel {@code (X, Y)} covers the source
   * rectangle {@code [X*w/W', (X+1)*w/W') x [Y*h/H', (Y+1)*h/H')} and is the area-weighted mean of
   * the source pixels it overlaps (each weighted by the area of its overlap; a box filter, as
   * OpenCV's {@code INTER_AREA} when shrinking, and pixel replication when enlarging by a whole
   * factor), computed per channel in double precision, then rounded half up to an integer in
   * 0..255. Plain Java arithmetic only, so the bytes are the same on every JVM.
   */
  public static byte[] resizeCrop(int[] rgb, int w, int h, int size) {
    if (w < 1 || h < 1 || size < 1) {
      throw new IllegalArgumentException("sizes must be >= 1, got " + w + "x" + h + " to " + size);
    }
    if (rgb.length != w * h) {
      throw new IllegalArgumentException(rgb.length + " pixels for a " + w + "x" + h + " image");
    }
    int rw;
    int rh;
    if (w <= h) {
      rw = size;
      rh = (int) ((long) size * h / w);
    } else {
      rh = size;
      rw = (int) ((long) size * w / h);
    }
    int top = (int) Math.rint((rh - size) / 2.0);
    int left = (int) Math.rint((rw - size) / 2.0);
    Weights wx = Weights.of(w, rw, left, size);
    Weights wy = Weights.of(h, rh, top, size);
    // Horizontal pass over the source rows the crop needs, then the vertical pass.
    int y0 = wy.first[0];
    int y1 = wy.first[size - 1] + wy.weight[size - 1].length;
    double[][] rows = new double[3][(y1 - y0) * size];
    for (int y = y0; y < y1; y++) {
      int src = y * w;
      int dst = (y - y0) * size;
      for (int X = 0; X < size; X++) {
        double r = 0;
        double g = 0;
        double b = 0;
        double[] wt = wx.weight[X];
        int x = wx.first[X];
        for (int k = 0; k < wt.length; k++) {
          int p = rgb[src + x + k];
          r += wt[k] * ((p >>> 16) & 0xFF);
          g += wt[k] * ((p >>> 8) & 0xFF);
          b += wt[k] * (p & 0xFF);
        }
        rows[0][dst + X] = r;
        rows[1][dst + X] = g;
        rows[2][dst + X] = b;
      }
    }
    int plane = size * size;
    byte[] out = new byte[3 * plane];
    for (int c = 0; c < 3; c++) {
      double[] ch = rows[c];
      for (int Y = 0; Y < size; Y++) {
        double[] wt = wy.weight[Y];
        int y = wy.first[Y] - y0;
        for (int X = 0; X < size; X++) {
          double v = 0;
          for (int k = 0; k < wt.length; k++) {
            v += wt[k] * ch[(y + k) * size + X];
          }
          long q = Math.round(v);
          out[c * plane + Y * size + X] = (byte) (q < 0 ? 0 : q > 255 ? 255 : q);
        }
      }
    }
    return out;
  }

  /**
   * Area-averaging weights along one axis: output {@code i} (of {@code count}, starting at resized
   * index {@code offset}) reads source indices {@code first[i] ..} with {@code weight[i]}, which
   * sum to 1.
   */
  private record Weights(int[] first, double[][] weight) {
    static Weights of(int source, int resized, int offset, int count) {
      int[] first = new int[count];
      double[][] weight = new double[count][];
      double scale = (double) source / resized;
      for (int i = 0; i < count; i++) {
        int out = offset + i;
        double lo = out * scale;
        double hi = (out + 1) * scale;
        int a = (int) Math.floor(lo);
        int b = Math.min(source, (int) Math.ceil(hi));
        double[] wt = new double[b - a];
        double total = 0;
        for (int s = a; s < b; s++) {
          double overlap = Math.min(hi, s + 1) - Math.max(lo, s);
          wt[s - a] = overlap;
          total += overlap;
        }
        for (int k = 0; k < wt.length; k++) {
          wt[k] /= total;
        }
        first[i] = a;
        weight[i] = wt;
      }
      return new Weights(first, weight);
    }
  }
}
