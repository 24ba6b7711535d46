package org.rdnas.tools;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * The device check's comparison, run CPU against CPU (CI has no GPU): every proxy and the training
 * step agree exactly, and the table shows every figure it promises.
 */
class DeviceCheckTest {
  @Test
  void cpuAgainstCpuPassesAndPrintsEveryFigure() {
    PrintStream out = System.out;
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    boolean ok;
    try {
      System.setOut(new PrintStream(buf, true, StandardCharsets.UTF_8));
      ok = DeviceCheck.check(Device.cpu(), 1, 4, 1, 1, 8, 0);
    } finally {
      System.setOut(out);
    }
    String table = buf.toString(StandardCharsets.UTF_8);
    assertTrue(ok, table);
    for (String line : new String[] {"arrays land on cpu(): yes", "zico", "az_trainability",
        "training step (SPOS, 8 images)", "archs/s, all 17 proxies", "training images/s",
        "device check passed"}) {
      assertTrue(table.contains(line), "no '" + line + "' in\n" + table);
    }
  }
}
