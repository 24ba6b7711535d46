package org.rdnas.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.rdnas.config.RdnasConfig;
import org.rdnas.config.TrainConfig;

class CheckpointTest {
  static final String FILE = "hdfs://nn/runs/x/checkpoints/step-000120.ckpt";

  static Checkpoint sample(int n, TrainConfig.Mode mode) {
    SplittableRandom rng = new SplittableRandom(1);
    float[] w = new float[n];
    float[] m = new float[n];
    for (int i = 0; i < n; i++) {
      w[i] = (float) rng.nextGaussian();
      m[i] = (float) rng.nextGaussian() * 1e-3f;
    }
    w[0] = Float.MIN_VALUE;
    w[1] = -Float.MAX_VALUE;
    w[n - 1] = -0f;
    return new Checkpoint(120, 3, mode, new Checkpoint.DataOrder(-7L, 50_000, 64, 781, 32),
        mode == TrainConfig.Mode.RDNAS
            ? new Checkpoint.SamplerState(-7L, 6.7, List.of("flops", "snip")) : null,
        RdnasConfig.defaults().toJson(), w, m);
  }

  static byte[] bytes(Checkpoint c) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    c.write(out);
    return out.toByteArray();
  }

  static Checkpoint read(byte[] b) throws IOException {
    return Checkpoint.read(new ByteArrayInputStream(b), FILE);
  }

  @Test
  void aNonFiniteWeightOrMomentumIsNeverACheckpoint() {
    Checkpoint c = sample(10, TrainConfig.Mode.SPOS);
    for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
      float[] w = c.weights();
      w[3] = bad;
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new Checkpoint(
          c.step(), c.epoch(), c.mode(), c.dataOrder(), c.sampler(), c.configJson(), w, c.momentum()));
      assertTrue(e.getMessage().contains("non-finite weight (" + bad + " at index 3)"), e.getMessage());
      float[] m = c.momentum();
      m[9] = bad;
      e = assertThrows(IllegalArgumentException.class, () -> new Checkpoint(c.step(), c.epoch(),
          c.mode(), c.dataOrder(), c.sampler(), c.configJson(), c.weights(), m));
      assertTrue(e.getMessage().contains("non-finite momentum value"), e.getMessage());
    }
  }

  @Test
  void roundTripKeepsEveryFieldAndBit() throws IOException {
    for (TrainConfig.Mode mode : TrainConfig.Mode.values()) {
      // more than one 64k chunk of floats
      Checkpoint c = sample(150_001, mode);
      Checkpoint back = read(bytes(c));
      assertEquals(c, back);
      assertEquals(c.step(), back.step());
      assertEquals(c.dataOrder(), back.dataOrder());
      assertEquals(c.sampler(), back.sampler());
      assertEquals(c.configJson(), back.configJson());
      assertEquals(RdnasConfig.defaults().train().lr(),
          new com.fasterxml.jackson.databind.ObjectMapper().readTree(back.configJson())
              .at("/rdnas/train/lr").asDouble());
      assertArrayEquals(c.weights(), back.weights());
      assertEquals(Float.MIN_VALUE, back.weights()[0], 0f, "a subnormal survives");
      assertEquals(Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(back.weights()[150_000]));
      assertArrayEquals(c.momentum(), back.momentum());
    }
    Checkpoint empty = new Checkpoint(0, 0, TrainConfig.Mode.SPOS,
        new Checkpoint.DataOrder(0, 10, 5, 2, 5), null, "", new float[0], new float[0]);
    assertEquals(empty, read(bytes(empty)));
  }

  @Test
  void everyCorruptedByteIsDetected() throws IOException {
    byte[] good = bytes(sample(20, TrainConfig.Mode.RDNAS));
    for (int i = 0; i < good.length; i++) {
      byte[] bad = good.clone();
      bad[i] ^= (byte) (1 << (i % 8));
      CheckpointException e = assertThrows(CheckpointException.class, () -> read(bad), "byte " + i);
      assertTrue(e.getMessage().startsWith(FILE + " "), e.getMessage());
    }
  }

  @Test
  void errorsSayWhatIsWrong() throws IOException {
    byte[] good = bytes(sample(20, TrainConfig.Mode.RDNAS));
    assertEquals(FILE + " is truncated",
        assertThrows(CheckpointException.class, () -> read(Arrays.copyOf(good, good.length - 3)))
            .getMessage());
    assertEquals(FILE + " is truncated",
        assertThrows(CheckpointException.class, () -> read(new byte[0])).getMessage());
    assertTrue(assertThrows(CheckpointException.class, () -> read(Arrays.copyOf(good, good.length + 1)))
        .getMessage().contains("bytes after the checksum"));
    byte[] magic = good.clone();
    magic[0] = 'X';
    assertEquals(FILE + " is not an rdnas checkpoint (bad magic bytes)",
        assertThrows(CheckpointException.class, () -> read(magic)).getMessage());
    byte[] version = good.clone();
    ByteBuffer.wrap(version).putInt(8, 2);
    assertEquals(FILE + " is checkpoint format version 2; this build reads version 1",
        assertThrows(CheckpointException.class, () -> read(version)).getMessage());
    byte[] crc = good.clone();
    crc[crc.length - 1] ^= 1;
    assertTrue(assertThrows(CheckpointException.class, () -> read(crc)).getMessage()
        .contains("CRC32 mismatch"));
    // a weights length that disagrees with the header
    int headerLength = ByteBuffer.wrap(good).getInt(12);
    byte[] length = good.clone();
    ByteBuffer.wrap(length).putInt(16 + headerLength, 21);
    assertTrue(assertThrows(CheckpointException.class, () -> read(length)).getMessage()
        .contains("weights length 21, the header says 20 parameters"));
  }

  @Test
  void fileNamesSortByStepAndParseBack() {
    assertEquals("step-000000001234.ckpt", Checkpoint.fileName(1234));
    assertEquals(1234, Checkpoint.stepOf(Checkpoint.fileName(1234)));
    assertEquals(0, Checkpoint.stepOf("step-000000000000.ckpt"));
    assertEquals(-1, Checkpoint.stepOf("step-000000001234.ckpt.tmp"));
    assertEquals(-1, Checkpoint.stepOf("_temporary"));
    assertEquals(-1, Checkpoint.stepOf(null));
    assertTrue(Checkpoint.fileName(99).compareTo(Checkpoint.fileName(100)) < 0);
    assertThrows(IllegalArgumentException.class, () -> Checkpoint.fileName(-1));
  }

  @Test
  void invalidValuesAreRejectedOnConstruction() {
    Checkpoint.DataOrder order = new Checkpoint.DataOrder(0, 10, 5, 2, 5);
    assertThrows(IllegalArgumentException.class, () -> new Checkpoint(0, 0, TrainConfig.Mode.SPOS,
        order, null, "", new float[2], new float[3]));
    assertThrows(IllegalArgumentException.class, () -> new Checkpoint(0, 0, TrainConfig.Mode.RDNAS,
        order, null, "", new float[2], new float[2]));
    assertThrows(IllegalArgumentException.class, () -> new Checkpoint(0, 0, TrainConfig.Mode.SPOS,
        order, null, "{not json", new float[2], new float[2]));
  }
}
