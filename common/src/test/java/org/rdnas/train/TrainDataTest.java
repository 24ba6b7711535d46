package org.rdnas.train;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;


import java.io.IOException;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.rdnas.data.DataSource;

class TrainDataTest {
  @Test
  void aRelativeDataPathIsQualifiedOnTheDriverSoExecutorsReadTheSameFiles() throws IOException {
    // Executors of a standalone cluster run in their own work folders: a relative path read there
    // named another file (found running deploy/local/cluster with data.path=../shared/...).
    TrainData.Spec relative = new TrainData.Spec(DataSource.CIFAR10, "data/cifar10/test_batch.bin",
        0, 0, 10, 0, 3);
    TrainData.Spec q = relative.qualified(new Configuration());
    assertEquals(Path.of("data/cifar10/test_batch.bin").toAbsolutePath().toUri().getPath(),
        new org.apache.hadoop.fs.Path(q.path()).toUri().getPath());
    assertEquals("file", new org.apache.hadoop.fs.Path(q.path()).toUri().getScheme());
    assertEquals(new TrainData.Spec(DataSource.CIFAR10, q.path(), 0, 0, 10, 0, 3), q);

    TrainData.Spec synthetic = new TrainData.Spec(DataSource.SYNTHETIC, "", 0, 100, 10, 0, 3);
    assertSame(synthetic, synthetic.qualified(new Configuration()));
  }
}
