package org.rdnas.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.awt.image.IndexColorModel;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import javax.imageio.ImageIO;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rdnas.io.InputException;

/**
 * {@link ImageFolder} on small generated folders: labels by sorted class folder, (class, name)
 * order, colour models turned into RGB, the resize-and-crop rule pinned on hand-computed cases, the
 * seeded limit sample, and every error naming the path and what is wrong.
 */
class ImageFolderTest {

  @TempDir Path dir;

  private static final Configuration CONF = new Configuration();

  /** A {@code w x h} RGB image of one colour. */
  static BufferedImage solid(int w, int h, int rgb) {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        img.setRGB(x, y, rgb);
      }
    }
    return img;
  }

  static void write(BufferedImage img, String format, Path file) throws IOException {
    Files.createDirectories(file.getParent());
    assertTrue(ImageIO.write(img, format, file.toFile()), "no " + format + " writer for " + img);
  }

  /**
   * 3 classes x 4 images, given in folders out of name order: ant (0), bird (1), cat (2); mixed
   * PNG and JPEG, sizes from 4x4 to 40x30, one grey PNG, one with alpha, one palette PNG; plus files
   * and folders that must be ignored.
   */
  Path folder() throws IOException {
    Path root = dir.resolve("imgs");
    // cat (label 2): solid colours, exact in PNG.
    write(solid(8, 6, 0x102030), "png", root.resolve("cat/c1.png"));
    write(solid(5, 9, 0x405060), "png", root.resolve("cat/c2.PNG"));
    write(solid(12, 12, 0xC86432), "jpg", root.resolve("cat/c3.jpg"));
    write(solid(40, 30, 0x708090), "png", root.resolve("cat/c4.png"));
    // ant (label 0): a grey PNG, a PNG with alpha, a palette PNG, a JPEG.
    BufferedImage grey = new BufferedImage(6, 4, BufferedImage.TYPE_BYTE_GRAY);
    for (int y = 0; y < 4; y++) {
      for (int x = 0; x < 6; x++) {
        grey.getRaster().setSample(x, y, 0, 77);
      }
    }
    write(grey, "png", root.resolve("ant/a1_grey.png"));
    BufferedImage alpha = new BufferedImage(4, 4, BufferedImage.TYPE_INT_ARGB);
    for (int y = 0; y < 4; y++) {
      for (int x = 0; x < 4; x++) {
        alpha.setRGB(x, y, (y * 60) << 24 | (10 + x) << 16 | (20 + y) << 8 | 30);
      }
    }
    write(alpha, "png", root.resolve("ant/a2_alpha.png"));
    IndexColorModel palette = new IndexColorModel(8, 2, new byte[] {(byte) 250, 5},
        new byte[] {0, 6}, new byte[] {7, (byte) 200});
    BufferedImage indexed = new BufferedImage(4, 4, BufferedImage.TYPE_BYTE_INDEXED, palette);
    for (int y = 0; y < 4; y++) {
      for (int x = 0; x < 4; x++) {
        indexed.getRaster().setSample(x, y, 0, (x + y) % 2);
      }
    }
    write(indexed, "png", root.resolve("ant/a3_palette.png"));
    write(solid(16, 20, 0x3C5A78), "jpeg", root.resolve("ant/a4.JPEG"));
    // bird (label 1)
    for (int k = 1; k <= 4; k++) {
      write(solid(4 + k, 4, 0x010101 * (k * 40)), k % 2 == 0 ? "jpg" : "png",
          root.resolve("bird/b" + k + (k % 2 == 0 ? ".jpg" : ".png")));
    }
    // Ignored: hidden files and folders, other extensions, files in the root.
    write(solid(4, 4, 0xFFFFFF), "png", root.resolve("cat/.hidden.png"));
    Files.writeString(root.resolve("cat/notes.txt"), "not an image");
    Files.writeString(root.resolve("bird/b9.gif"), "not read");
    write(solid(4, 4, 0xFFFFFF), "png", root.resolve(".cache/x.png"));
    Files.writeString(root.resolve("README"), "a file in the root");
    return root;
  }

  @Test
  void readsLabelsByClassFolderNameInClassAndFileOrder() throws IOException {
    Path root = folder();
    ImageFolder.Listing l = ImageFolder.list(root.toString(), CONF);
    assertEquals(List.of("ant", "bird", "cat"), l.classes());
    assertEquals(List.of("a1_grey.png", "a2_alpha.png", "a3_palette.png", "a4.JPEG", "b1.png", "b2.jpg",
        "b3.png", "b4.jpg", "c1.png", "c2.PNG", "c3.jpg", "c4.png"),
        l.files().stream().map(ImageFolder.Entry::name).toList());
    assertEquals("file:" + root, l.root());

    ImageDataset d = ImageFolder.read(root.toString(), 4, Cifar10.NO_LIMIT, 0, CONF);
    assertEquals(12, d.size());
    assertEquals(4, d.side());
    assertEquals(3, d.classes());
    assertEquals(48, d.imageBytes());
    assertEquals(List.of("ant", "bird", "cat"), d.classNames().orElseThrow());
    assertSame(Normalization.imagenet(), d.normalization());
    int[] labels = new int[12];
    Arrays.setAll(labels, d::label);
    assertArrayEquals(new int[] {0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2}, labels);
    assertArrayEquals(new int[] {4, 4, 4}, d.labelCounts());
    assertEquals("image-folder file:" + root + " size=4", d.origin());

    // Grey 77 is copied to R, G and B (as PIL's convert("RGB"), not Java's linear-grey conversion).
    assertRgbEverywhere(d, 0, 77, 77, 77);
    // Alpha is dropped, not composited: the 4x4 image is read as it is (4 px needs no resize).
    for (int y = 0; y < 4; y++) {
      for (int x = 0; x < 4; x++) {
        assertEquals(10 + x, d.pixel(1, 0, y, x));
        assertEquals(20 + y, d.pixel(1, 1, y, x));
        assertEquals(30, d.pixel(1, 2, y, x));
      }
    }
    // Palette entries are looked up.
    for (int y = 0; y < 4; y++) {
      for (int x = 0; x < 4; x++) {
        boolean one = (x + y) % 2 == 1;
        assertEquals(one ? 5 : 250, d.pixel(2, 0, y, x));
        assertEquals(one ? 6 : 0, d.pixel(2, 1, y, x));
        assertEquals(one ? 200 : 7, d.pixel(2, 2, y, x));
      }
    }
    // Solid PNGs of any size stay exactly their colour; JPEGs roughly.
    assertRgbEverywhere(d, 8, 0x10, 0x20, 0x30);
    assertRgbEverywhere(d, 9, 0x40, 0x50, 0x60);
    assertRgbEverywhere(d, 11, 0x70, 0x80, 0x90);
    assertRgbEverywhere(d, 4, 40, 40, 40);
    assertRoughly(d, 10, 0xC8, 0x64, 0x32);
    assertRoughly(d, 3, 0x3C, 0x5A, 0x78);
    assertRoughly(d, 5, 80, 80, 80);

    ImageDataset viaLoad = Datasets.load(DataSource.IMAGE_FOLDER, root.toString(), Cifar10.Part.ALL,
        Cifar10.NO_LIMIT, 0, 4, CONF);
    for (int i = 0; i < 12; i++) {
      assertArrayEquals(d.image(i), viaLoad.image(i));
    }
    ImageDataset big = Datasets.load(DataSource.IMAGE_FOLDER, root.toString(), Cifar10.Part.ALL,
        Cifar10.NO_LIMIT, 0, 20, CONF);
    assertEquals(20, big.side());
    assertEquals(3 * 400, big.image(0).length);
    assertRgbEverywhere(big, 11, 0x70, 0x80, 0x90);
  }

  private static void assertRgbEverywhere(ImageDataset d, int i, int r, int g, int b) {
    for (int y = 0; y < d.side(); y++) {
      for (int x = 0; x < d.side(); x++) {
        assertEquals(r, d.pixel(i, 0, y, x), "image " + i + " R at " + y + "," + x);
        assertEquals(g, d.pixel(i, 1, y, x), "image " + i + " G at " + y + "," + x);
        assertEquals(b, d.pixel(i, 2, y, x), "image " + i + " B at " + y + "," + x);
      }
    }
  }

  private static void assertRoughly(ImageDataset d, int i, int r, int g, int b) {
    int[] want = {r, g, b};
    for (int c = 0; c < 3; c++) {
      for (int y = 0; y < d.side(); y++) {
        for (int x = 0; x < d.side(); x++) {
          int v = d.pixel(i, c, y, x);
          assertTrue(Math.abs(v - want[c]) <= 8, "JPEG image " + i + " channel " + c + ": " + v + " vs " + want[c]);
        }
      }
    }
  }

  @Test
  void areaAveragingShrinksAsComputedByHand() {
    // A 3x3 grey ramp p(x, y) = 90x + 30y to 2x2: each output pixel covers 1.5 x 1.5 source pixels
    // (weights 1 and 0.5 per axis), so its value is the ramp at the weighted mean position:
    // (0,0): x = y = (0*1 + 1*0.5)/1.5 = 1/3 -> 30 + 10 = 40; (1,0): x = (1*0.5 + 2*1)/1.5 = 5/3
    // -> 150 + 10 = 160; (0,1): 30 + 50 = 80; (1,1): 150 + 50 = 200.
    int[] ramp = new int[9];
    for (int y = 0; y < 3; y++) {
      for (int x = 0; x < 3; x++) {
        int v = 90 * x + 30 * y;
        ramp[y * 3 + x] = v << 16 | v << 8 | v;
      }
    }
    byte[] out = ImageFolder.resizeCrop(ramp, 3, 3, 2);
    for (int c = 0; c < 3; c++) {
      assertArrayEquals(new int[] {40, 160, 80, 200}, unsigned(out, c * 4, 4));
    }
    // Not a ramp: 2x2 pixels 0, 255 / 0, 0 to 1x1 is their mean 63.75 -> 64 (half up).
    byte[] one = ImageFolder.resizeCrop(new int[] {0, 0xFF0000, 0, 0}, 2, 2, 1);
    assertArrayEquals(new int[] {64, 0, 0}, unsigned(one, 0, 3));
  }

  @Test
  void enlargingByAWholeFactorRepeatsPixels() {
    byte[] out = ImageFolder.resizeCrop(new int[] {10, 20, 30, 40}, 2, 2, 4);
    assertArrayEquals(new int[] {10, 10, 20, 20, 10, 10, 20, 20, 30, 30, 40, 40, 30, 30, 40, 40},
        unsigned(out, 32, 16));
  }

  @Test
  void theShorterSideIsResizedAndTheCentreCroppedRoundingHalvesToEven() {
    // 5x2 to 2: the shorter side is already 2, so no resize (5x2), and the crop's left edge is
    // rint((5 - 2) / 2) = rint(1.5) = 2: columns 2 and 3.
    int[] wide = new int[10];
    for (int y = 0; y < 2; y++) {
      for (int x = 0; x < 5; x++) {
        wide[y * 5 + x] = 10 * y + x;
      }
    }
    assertArrayEquals(new int[] {2, 3, 12, 13}, unsigned(ImageFolder.resizeCrop(wide, 5, 2, 2), 8, 4));
    // 4x2 to 2: left = rint(1.0) = 1: columns 1 and 2. 2x4 (tall) to 2: top = 1: rows 1 and 2.
    int[] w4 = new int[8];
    Arrays.setAll(w4, p -> p);
    assertArrayEquals(new int[] {1, 2, 5, 6}, unsigned(ImageFolder.resizeCrop(w4, 4, 2, 2), 8, 4));
    assertArrayEquals(new int[] {2, 3, 4, 5}, unsigned(ImageFolder.resizeCrop(w4, 2, 4, 2), 8, 4));
    // 8x4 to 2: shorter side 4 -> 2 (width floor(2 * 8 / 4) = 4), each output the mean of a 2x2
    // block; crop left = 1: blocks 1 and 2 of the four.
    int[] w8 = new int[32];
    Arrays.setAll(w8, p -> (p % 8) * 10);
    // Block k's mean is 10 * (2k + 0.5) = 20k + 5.
    assertArrayEquals(new int[] {25, 45, 25, 45}, unsigned(ImageFolder.resizeCrop(w8, 8, 4, 2), 8, 4));
  }

  private static int[] unsigned(byte[] b, int from, int n) {
    int[] out = new int[n];
    for (int k = 0; k < n; k++) {
      out[k] = b[from + k] & 0xFF;
    }
    return out;
  }

  @Test
  void theLimitIsASeededUniformSampleKeptInOrder() throws IOException {
    Path root = folder();
    ImageDataset a = ImageFolder.read(root.toString(), 4, 5, 7, CONF);
    ImageDataset b = ImageFolder.read(root.toString(), 4, 5, 7, CONF);
    assertEquals(5, a.size());
    assertEquals(3, a.classes(), "the classes are the folder's, whatever the sample holds");
    for (int i = 0; i < 5; i++) {
      assertArrayEquals(a.image(i), b.image(i));
      assertEquals(a.label(i), b.label(i));
      assertTrue(i == 0 || a.label(i) >= a.label(i - 1), "kept in class order");
    }
    assertTrue(a.origin().endsWith(" limit=5 seed=7"), a.origin());
    // The sample itself: sorted, distinct, pinned for seed 7, and different for other seeds.
    int[] s = ImageFolder.sample(12, 5, 7);
    assertArrayEquals(s, ImageFolder.sample(12, 5, 7));
    assertEquals(5, Arrays.stream(s).distinct().count());
    assertArrayEquals(Arrays.stream(s).sorted().toArray(), s);
    assertArrayEquals(PINNED_SAMPLE, s);
    boolean differs = false;
    for (long seed = 8; seed < 20 && !differs; seed++) {
      differs = !Arrays.equals(s, ImageFolder.sample(12, 5, seed));
    }
    assertTrue(differs);
    assertArrayEquals(new int[] {0, 1, 2}, ImageFolder.sample(3, 3, 1));
    assertArrayEquals(new int[] {0, 1, 2}, ImageFolder.sample(3, Cifar10.NO_LIMIT, 1));
    // Uniform: every index is drawn about equally often.
    int[] hits = new int[12];
    for (long seed = 0; seed < 6000; seed++) {
      for (int i : ImageFolder.sample(12, 3, seed)) {
        hits[i]++;
      }
    }
    for (int h : hits) {
      assertEquals(1500, h, 150);
    }
  }

  /** {@code ImageFolder.sample(12, 5, 7)}: a change to it changes every limited image-folder run. */
  private static final int[] PINNED_SAMPLE = {3, 4, 6, 10, 11};

  @Test
  void badFoldersAreRefusedNamingThePathAndTheProblem() throws IOException {
    Path missing = dir.resolve("nowhere");
    FileNotFoundException nf = assertThrows(FileNotFoundException.class,
        () -> ImageFolder.read(missing.toString(), 4, Cifar10.NO_LIMIT, 0, CONF));
    assertTrue(nf.getMessage().contains("image-folder file:" + missing + ": no such folder"), nf.getMessage());

    Path file = Files.writeString(dir.resolve("file.png"), "x");
    InputException notDir = assertThrows(InputException.class,
        () -> ImageFolder.read(file.toString(), 4, Cifar10.NO_LIMIT, 0, CONF));
    assertTrue(notDir.getMessage().contains(file + ": is a file, not a folder"), notDir.getMessage());

    Path empty = Files.createDirectories(dir.resolve("empty"));
    Files.writeString(empty.resolve("loose.png"), "x");
    Files.createDirectories(empty.resolve(".hidden"));
    InputException noClasses = assertThrows(InputException.class,
        () -> ImageFolder.read(empty.toString(), 4, Cifar10.NO_LIMIT, 0, CONF));
    assertTrue(noClasses.getMessage().contains(empty + ": holds no class folders"), noClasses.getMessage());

    Path noImages = dir.resolve("noimages");
    write(solid(4, 4, 0), "png", noImages.resolve("a/x.png"));
    Files.createDirectories(noImages.resolve("b"));
    Files.writeString(noImages.resolve("b/readme.txt"), "x");
    InputException emptyClass = assertThrows(InputException.class,
        () -> ImageFolder.read(noImages.toString(), 4, Cifar10.NO_LIMIT, 0, CONF));
    assertTrue(emptyClass.getMessage().contains(noImages + ": class folder 'b' holds no images"),
        emptyClass.getMessage());

    Path corrupt = dir.resolve("corrupt");
    write(solid(4, 4, 0), "png", corrupt.resolve("a/good.png"));
    Files.createDirectories(corrupt.resolve("b"));
    Path bad = Files.write(corrupt.resolve("b/broken.jpg"), new byte[] {(byte) 0xFF, (byte) 0xD8, 1, 2, 3});
    CorruptDataException ce = assertThrows(CorruptDataException.class,
        () -> ImageFolder.read(corrupt.toString(), 4, Cifar10.NO_LIMIT, 0, CONF));
    assertEquals("file:" + bad, ce.file());
    assertTrue(ce.getMessage().startsWith("image-folder file:" + bad + ": does not decode"), ce.getMessage());
    Files.writeString(bad, "plain text, no image");
    CorruptDataException text = assertThrows(CorruptDataException.class,
        () -> ImageFolder.read(corrupt.toString(), 4, Cifar10.NO_LIMIT, 0, CONF));
    assertTrue(text.getMessage().contains("broken.jpg: does not decode"), text.getMessage());

    // Too large for one array: one 30,000 px image is 2.7e9 bytes; refused before decoding.
    InputException large = assertThrows(InputException.class,
        () -> ImageFolder.read(corrupt.toString(), 30_000, Cifar10.NO_LIMIT, 0, CONF));
    assertTrue(large.getMessage().contains("image-folder file:" + corrupt + ": 2 images of 30000 px "
        + "(2700000000 bytes each"), large.getMessage());
    InputException many = assertThrows(InputException.class,
        () -> ImageFolder.checkFits("file:/data/imagenet", 1_281_167, 32));
    assertTrue(many.getMessage().contains("file:/data/imagenet: 1281167 images of 32 px (3072 bytes each, "
        + "3935745024 in all) exceed the 2147483647 bytes one dataset can hold (at most 699050"),
        many.getMessage());

    IllegalArgumentException noPath = assertThrows(IllegalArgumentException.class,
        () -> Datasets.load(DataSource.IMAGE_FOLDER, " ", Cifar10.NO_LIMIT, 0));
    assertTrue(noPath.getMessage().contains("image-folder needs a path"), noPath.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Datasets.load(DataSource.IMAGE_FOLDER,
        corrupt.toString(), Cifar10.Part.TEST, Cifar10.NO_LIMIT, 0, 4, CONF));
  }

  @Test
  void sourceNameParses() {
    assertEquals(DataSource.IMAGE_FOLDER, DataSource.parse("image-folder"));
    assertEquals("image-folder", DataSource.IMAGE_FOLDER.configName());
    assertNotEquals(DataSource.IMAGE_FOLDER, DataSource.parse("cifar10"));
  }
}
