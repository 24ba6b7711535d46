package org.rdnas.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatasetsTest {

  @TempDir
  Path dir;

  @Test
  void sourceNamesParse() {
    assertEquals(DataSource.CIFAR10, DataSource.parse("cifar10"));
    assertEquals(DataSource.SYNTHETIC, DataSource.parse(" Synthetic "));
    assertEquals("synthetic", DataSource.SYNTHETIC.configName());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> DataSource.parse("mnist"));
    assertEquals("unknown data source 'mnist'; expected one of [cifar10, synthetic, image-folder]", e.getMessage());
  }

  @Test
  void loadsCifar10FromAFileOrDirectory() throws IOException {
    TestData.writeCifar(dir.resolve("data_batch_1.bin"), 0, 1, 2, 3);
    TestData.writeCifar(dir.resolve("test_batch.bin"), 3, 4, 5);
    assertEquals(5, Datasets.load(DataSource.CIFAR10, dir.toString(), Cifar10.NO_LIMIT, 0).size());
    assertEquals(2, Datasets.load(DataSource.CIFAR10, dir.toString(), 2, 0).size());
    ImageDataset test = Datasets.load(DataSource.CIFAR10, dir.toString(), Cifar10.Part.TEST, Cifar10.NO_LIMIT, 0,
        new Configuration());
    assertEquals(2, test.size());
    assertEquals(4, test.label(0));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Datasets.load(DataSource.CIFAR10, " ", 10, 0));
    assertEquals("cifar10 needs a path to a batch file or directory", e.getMessage());
  }

  @Test
  void loadsSyntheticImages() throws IOException {
    ImageDataset d = Datasets.load(DataSource.SYNTHETIC, null, 30, 9);
    ImageDataset expected = SyntheticImages.standard().generate(30, 9);
    assertEquals(30, d.size());
    for (int i = 0; i < 30; i++) {
      assertArrayEquals(expected.image(i), d.image(i));
    }
    IllegalArgumentException path = assertThrows(IllegalArgumentException.class,
        () -> Datasets.load(DataSource.SYNTHETIC, "/data/cifar", 30, 9));
    assertTrue(path.getMessage().contains("takes no path"), path.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> Datasets.load(DataSource.SYNTHETIC, "", Cifar10.Part.TRAIN, 30, 9, new Configuration()));
    IllegalArgumentException unlimited = assertThrows(IllegalArgumentException.class,
        () -> Datasets.load(DataSource.SYNTHETIC, null, Cifar10.NO_LIMIT, 9));
    assertTrue(unlimited.getMessage().contains("finite image count"), unlimited.getMessage());
  }
}
