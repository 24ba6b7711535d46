package org.rdnas.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rdnas.io.InputException;

class Cifar10Test {

  @TempDir
  Path dir;

  @Test
  void roundTripKeepsLabelsAndPlanarLayout() throws IOException {
    Path file = TestData.writeCifar(dir.resolve("test_batch.bin"), 0, 3, 0, 9, 5, 1);
    for (String path : List.of(file.toString(), file.toUri().toString())) {
      ImageDataset d = Cifar10.read(path, Cifar10.Part.ALL, Cifar10.NO_LIMIT);
      assertEquals(5, d.size());
      assertArrayEquals(new int[] {3, 0, 9, 5, 1}, new int[] {d.label(0), d.label(1), d.label(2), d.label(3), d.label(4)});
      for (int i = 0; i < 5; i++) {
        byte[] image = d.image(i);
        for (int p = 0; p < 3072; p++) {
          assertEquals(TestData.pixel(i, p), image[p] & 0xFF, "image " + i + " byte " + p);
        }
        // Planar RGB, each plane row-major: channel c, row y, column x sits at c*1024 + y*32 + x.
        assertEquals(TestData.pixel(i, 1024 + 5 * 32 + 7), d.pixel(i, 1, 5, 7));
        assertEquals(TestData.pixel(i, 2048 + 31 * 32 + 31), d.pixel(i, 2, 31, 31));
      }
      assertTrue(d.origin().startsWith("cifar10 file:"), d.origin());
      assertTrue(d.origin().endsWith("test_batch.bin"), d.origin());
    }
  }

  @Test
  void limitReadsAtMostThatManyRecords() throws IOException {
    Path file = TestData.writeCifar(dir.resolve("data_batch_1.bin"), 0, 1, 2, 3, 4);
    ImageDataset three = Cifar10.read(file.toString(), Cifar10.Part.TRAIN, 3);
    assertEquals(3, three.size());
    assertEquals(3, three.label(2));
    assertEquals(TestData.pixel(2, 100), three.pixel(2, 0, 3, 4));
    assertTrue(three.origin().endsWith("limit=3"), three.origin());
    assertEquals(4, Cifar10.read(file.toString(), Cifar10.Part.TRAIN, 100).size());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Cifar10.read(file.toString(), Cifar10.Part.TRAIN, 0));
    assertTrue(e.getMessage().contains("limit must be >= 1"), e.getMessage());
  }

  @Test
  void directoryReadsStandardFilesOfThePartInOrder() throws IOException {
    TestData.writeCifar(dir.resolve("data_batch_3.bin"), 2, 3, 3, 3);
    TestData.writeCifar(dir.resolve("data_batch_1.bin"), 0, 1, 1);
    TestData.writeCifar(dir.resolve("test_batch.bin"), 5, 9, 9, 9, 9);
    // Neither a standard name nor valid: must be ignored, not read.
    Files.write(dir.resolve("data_batch_9.bin"), new byte[10]);
    Files.writeString(dir.resolve("readme.txt"), "not data");
    String path = dir.toString();

    ImageDataset train = Cifar10.read(path, Cifar10.Part.TRAIN, Cifar10.NO_LIMIT);
    assertEquals(5, train.size());
    assertArrayEquals(new int[] {0, 2, 0, 0, 0, 0, 0, 0, 0, 0}, train.head(2).labelCounts());
    assertArrayEquals(new int[] {0, 2, 0, 3, 0, 0, 0, 0, 0, 0}, train.labelCounts());
    assertEquals(1, train.label(1));
    assertEquals(3, train.label(2));
    assertEquals(TestData.pixel(2, 77), train.image(2)[77] & 0xFF);

    ImageDataset test = Cifar10.read(path, Cifar10.Part.TEST, Cifar10.NO_LIMIT);
    assertEquals(4, test.size());
    assertEquals(9, test.label(0));

    ImageDataset all = Cifar10.read(path, Cifar10.Part.ALL, Cifar10.NO_LIMIT);
    assertEquals(9, all.size());
    assertEquals(9, all.label(8));
    assertEquals(TestData.pixel(8, 5), all.image(8)[5] & 0xFF);

    ImageDataset limited = Cifar10.read(path, Cifar10.Part.ALL, 4);
    assertArrayEquals(new int[] {1, 1, 3, 3}, new int[] {limited.label(0), limited.label(1), limited.label(2), limited.label(3)});

    List<String> files = Cifar10.files(path, Cifar10.Part.ALL, new Configuration());
    assertEquals(3, files.size());
    assertTrue(files.get(0).startsWith("file:") && files.get(0).endsWith("/data_batch_1.bin"), files.toString());
    assertTrue(files.get(1).endsWith("/data_batch_3.bin") && files.get(2).endsWith("/test_batch.bin"), files.toString());
  }

  @Test
  void directoryWithoutFilesOfThePartIsRejected() throws IOException {
    TestData.writeCifar(dir.resolve("test_batch.bin"), 0, 1);
    FileNotFoundException e = assertThrows(FileNotFoundException.class,
        () -> Cifar10.read(dir.toString(), Cifar10.Part.TRAIN, Cifar10.NO_LIMIT));
    assertTrue(e.getMessage().startsWith("cifar10 file:"), e.getMessage());
    assertTrue(e.getMessage().contains(dir.getFileName().toString()), e.getMessage());
    assertTrue(e.getMessage().contains("none of the TRAIN files [data_batch_1.bin"), e.getMessage());
  }

  @Test
  void missingPathIsRejectedNamingIt() {
    Path missing = dir.resolve("nowhere/test_batch.bin");
    FileNotFoundException e = assertThrows(FileNotFoundException.class,
        () -> Cifar10.read(missing.toString(), Cifar10.Part.ALL, Cifar10.NO_LIMIT));
    assertEquals("cifar10 file:" + missing + ": no such file or directory", e.getMessage());
  }

  @Test
  void moreRecordsThanOneDatasetHoldsAreAnInputErrorUnlessTheLimitCutsThem() throws IOException {
    Path file = dir.resolve("data_batch_1.bin");
    try (RandomAccessFile sparse = new RandomAccessFile(file.toFile(), "rw")) {
      sparse.setLength((ImageDataset.maxImages(32) + 1L) * TestData.RECORD);
    }
    InputException e = assertThrows(InputException.class,
        () -> Cifar10.read(file.toString(), Cifar10.Part.ALL, Cifar10.NO_LIMIT));
    assertEquals("cifar10 " + file + ": 699051 records exceed the 699050 one dataset can hold; "
        + "set rdnas.data.limit", e.getMessage());
    assertEquals(2, Cifar10.read(file.toString(), Cifar10.Part.ALL, 2).size());
  }

  @Test
  void truncatedFileIsRejectedWithFileAndOffset() throws IOException {
    Path file = dir.resolve("test_batch.bin");
    byte[] bytes = new byte[2 * TestData.RECORD + 100];
    Files.write(file, bytes);
    CorruptDataException e = assertThrows(CorruptDataException.class,
        () -> Cifar10.read(file.toString(), Cifar10.Part.ALL, Cifar10.NO_LIMIT));
    assertEquals("cifar10 file:" + file + ": truncated record at byte offset 6146 (file size 6246 is not a multiple of 3073)",
        e.getMessage());
    assertEquals("file:" + file, e.file());
    assertEquals(6146, e.byteOffset());
  }

  @Test
  void truncatedFileIsRejectedEvenWhenTheLimitStopsBeforeIt() throws IOException {
    TestData.writeCifar(dir.resolve("data_batch_1.bin"), 0, 1, 2);
    Files.write(dir.resolve("data_batch_2.bin"), new byte[TestData.RECORD - 1]);
    CorruptDataException e = assertThrows(CorruptDataException.class,
        () -> Cifar10.read(dir.toString(), Cifar10.Part.TRAIN, 1));
    assertTrue(e.getMessage().contains("data_batch_2.bin: truncated record at byte offset 0 (file size 3072"),
        e.getMessage());
  }

  @Test
  void emptyFileIsRejected() throws IOException {
    Path file = Files.write(dir.resolve("data_batch_2.bin"), new byte[0]);
    CorruptDataException e = assertThrows(CorruptDataException.class,
        () -> Cifar10.read(file.toString(), Cifar10.Part.TRAIN, Cifar10.NO_LIMIT));
    assertEquals("cifar10 file:" + file + ": empty file at byte offset 0 (records are 3073 bytes)", e.getMessage());
    assertEquals(0, e.byteOffset());
  }

  @Test
  void labelAboveNineIsRejectedWithRecordOffset() throws IOException {
    Path file = TestData.writeCifar(dir.resolve("test_batch.bin"), 0, 0, 9, 12, 4);
    CorruptDataException e = assertThrows(CorruptDataException.class,
        () -> Cifar10.read(file.toString(), Cifar10.Part.ALL, Cifar10.NO_LIMIT));
    assertEquals("cifar10 file:" + file + ": invalid label 12 at byte offset 6146 (record 2); labels are 0..9",
        e.getMessage());
    assertEquals(6146, e.byteOffset());

    Path high = TestData.writeCifar(dir.resolve("data_batch_1.bin"), 0, 255);
    CorruptDataException e255 = assertThrows(CorruptDataException.class,
        () -> Cifar10.read(high.toString(), Cifar10.Part.ALL, Cifar10.NO_LIMIT));
    assertTrue(e255.getMessage().contains("invalid label 255 at byte offset 0 (record 0)"), e255.getMessage());
  }

  @Test
  void labelOfARecordPastTheLimitIsNotRead() throws IOException {
    Path file = TestData.writeCifar(dir.resolve("test_batch.bin"), 0, 0, 9, 12);
    assertEquals(2, Cifar10.read(file.toString(), Cifar10.Part.ALL, 2).size());
  }

  @Test
  void labelFaultInALaterChunkReportsItsAbsoluteOffset() throws IOException {
    // 1,030 records cross the reader's 1,024-record chunk; the bad label is record 1,027.
    int[] labels = new int[1030];
    labels[1027] = 10;
    Path file = TestData.writeCifar(dir.resolve("test_batch.bin"), 0, labels);
    CorruptDataException e = assertThrows(CorruptDataException.class,
        () -> Cifar10.read(file.toString(), Cifar10.Part.ALL, Cifar10.NO_LIMIT));
    long offset = 1027L * TestData.RECORD;
    assertEquals(offset, e.byteOffset());
    assertTrue(e.getMessage().contains("invalid label 10 at byte offset " + offset + " (record 1027)"), e.getMessage());
  }

  @Test
  void realTestBatchHasTenThousandBalancedRecordsWithKnownChannelMeans() throws IOException {
    Path file = TestData.sharedFile("cifar10/test_batch.bin");
    ImageDataset d = Cifar10.read(file.toString(), Cifar10.Part.TEST, Cifar10.NO_LIMIT);
    assertEquals(10_000, d.size());
    assertArrayEquals(new int[] {1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000, 1000}, d.labelCounts());
    assertChannelMeans(d, 0.4941, 0.4851, 0.4504);
  }

  /** The mean of each RGB channel over all pixels of {@code d}, in [0, 1], within 5e-4. */
  private static void assertChannelMeans(ImageDataset d, double... expected) {
    double[] sums = new double[3];
    byte[] image = new byte[3072];
    for (int i = 0; i < d.size(); i++) {
      d.copyImage(i, image, 0);
      for (int p = 0; p < 3072; p++) {
        sums[p / 1024] += (image[p] & 0xFF) / 255.0;
      }
    }
    for (int c = 0; c < 3; c++) {
      assertEquals(expected[c], sums[c] / (d.size() * 1024.0), 5e-4, "channel " + c + " mean");
    }
  }

  @Test
  void realFolderHoldsFiftyThousandBalancedTrainingRecordsWithKnownChannelMeans() throws IOException {
    Path first = TestData.sharedFile("cifar10/data_batch_1.bin");
    String cifarDir = first.getParent().toString();
    for (int b = 2; b <= 5; b++) {
      TestData.sharedFile("cifar10/data_batch_" + b + ".bin");
    }
    ImageDataset train = Cifar10.read(cifarDir, Cifar10.Part.TRAIN, Cifar10.NO_LIMIT);
    assertEquals(50_000, train.size());
    assertArrayEquals(new int[] {5000, 5000, 5000, 5000, 5000, 5000, 5000, 5000, 5000, 5000}, train.labelCounts());
    // PROVENANCE.md: 0.4913, 0.4821, 0.4465 (the official training set's are 0.4914, 0.4822, 0.4465).
    assertChannelMeans(train, 0.4913, 0.4821, 0.4465);
    // A folder path means all six files: TRAIN the five batches, TEST the test batch, ALL the training
    // batches first, then the test batch.
    assertEquals(10_000, Cifar10.read(cifarDir, Cifar10.Part.TEST, Cifar10.NO_LIMIT).size());
    ImageDataset all = Cifar10.read(cifarDir, Cifar10.Part.ALL, Cifar10.NO_LIMIT);
    assertEquals(60_000, all.size());
    assertArrayEquals(train.image(49_999), all.image(49_999));
    ImageDataset test = Cifar10.read(TestData.sharedFile("cifar10/test_batch.bin").toString(), Cifar10.Part.TEST, 1);
    assertArrayEquals(test.image(0), all.image(50_000));
    List<String> files = Cifar10.files(cifarDir, Cifar10.Part.ALL, new Configuration());
    assertEquals(6, files.size(), files.toString());
    assertTrue(files.get(0).endsWith("/data_batch_1.bin") && files.get(5).endsWith("/test_batch.bin"), files.toString());
  }
}
