package org.rdnas.io;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileNotFoundException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileStatus;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** User paths: blank, unparseable and missing ones each get a message naming the input. */
class HadoopPathsTest {
  private static final Configuration CONF = new Configuration();

  @TempDir Path tmp;

  @Test
  void aPathHadoopCannotParseIsAnInputErrorNamingTheInput() {
    InputException e = assertThrows(InputException.class, () -> HadoopPaths.parse("a:b", "rdnas.x"));
    assertTrue(e.getMessage().startsWith("rdnas.x a:b: "), e.getMessage());
  }

  @Test
  void statusRefusesBlankAndUnparseablePathsAsInputErrors() {
    InputException blank = assertThrows(InputException.class,
        () -> HadoopPaths.status("  ", "cifar10", "no such file", CONF));
    assertEquals("cifar10 path is blank", blank.getMessage());
    InputException bad = assertThrows(InputException.class,
        () -> HadoopPaths.status("a:b", "cifar10", "no such file", CONF));
    assertTrue(bad.getMessage().startsWith("cifar10 path a:b: "), bad.getMessage());
  }

  @Test
  void statusNamesTheQualifiedPathWhenNothingIsThereAndReturnsItWhenSomethingIs()
      throws Exception {
    Path missing = tmp.resolve("nothing-here");
    FileNotFoundException e = assertThrows(FileNotFoundException.class,
        () -> HadoopPaths.status(missing.toString(), "cifar10", "no such file", CONF));
    assertEquals("cifar10 file:" + missing + ": no such file", e.getMessage());

    Path file = Files.writeString(tmp.resolve("there.bin"), "x");
    FileStatus status = HadoopPaths.status(file.toString(), "cifar10", "no such file", CONF);
    assertTrue(status.isFile());
    assertEquals(1, status.getLen());
    assertEquals("file:" + file, status.getPath().toString());
  }
}
