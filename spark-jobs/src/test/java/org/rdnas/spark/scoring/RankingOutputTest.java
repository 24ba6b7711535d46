package org.rdnas.spark.scoring;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RankingOutputTest {
  @TempDir
  Path tmp;

  /** Two part files of 200 rows in {@code out}'s parts folder; returns the first's path. */
  private Path twoParts(RankingOutput out, Configuration conf) throws IOException {
    for (String name : List.of("part-a-00000.parquet", "part-b-00000.parquet")) {
      try (RankingFileWriter w = RankingFileWriter.open(conf, out.parts(), name, "0",
          List.of("flops"), Map.of())) {
        for (int i = 0; i < 200; i++) {
          w.write(RankingRow.failed(i, "arch " + i, i, 1, "test row", i));
        }
        w.commit();
      }
    }
    return tmp.resolve(RankingOutput.PARTS_DIR).resolve("part-a-00000.parquet");
  }

  private static void flipByte(Path file, int at) throws IOException {
    byte[] b = Files.readAllBytes(file);
    b[at] ^= 0x5a;
    Files.write(file, b);
  }

  @Test
  void aPartWhoseDataPageFailsTheFilesystemChecksumIsSetAsideThoughItsFooterReads()
      throws IOException {
    Configuration conf = new Configuration();
    RankingOutput out = RankingOutput.at(tmp.toString(), conf);
    Path bad = twoParts(out, conf);
    // In the first column chunk; the footer, at the end, still reads.
    flipByte(bad, 200);
    out.footer(new org.apache.hadoop.fs.Path(bad.toUri()));
    List<org.apache.hadoop.fs.Path> moved = out.setAsideUnreadableParts("run-1");
    assertEquals(List.of("part-a-00000.parquet"), moved.stream().map(p -> p.getName()).toList());
    assertEquals(1, out.partFiles().size(), "the intact part stays");
  }

  @Test
  void withoutFilesystemChecksumsThePagesOwnChecksumCatchesIt() throws IOException {
    Configuration conf = new Configuration();
    RankingOutput out = RankingOutput.at(tmp.toString(), conf);
    Path bad = twoParts(out, conf);
    flipByte(bad, 200);
    Files.delete(bad.resolveSibling(".part-a-00000.parquet.crc"));
    assertEquals(1, out.setAsideUnreadableParts("run-1").size());
    assertEquals(1, out.partFiles().size());
  }
}
