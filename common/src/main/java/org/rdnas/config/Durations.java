package org.rdnas.config;

import java.time.Duration;

/** Writes a {@link Duration} in HOCON's unit syntax, in the largest unit that keeps it exact. */
final class Durations {
  private Durations() {}

  private static final long[] NANOS = {86_400_000_000_000L, 3_600_000_000_000L, 60_000_000_000L,
      1_000_000_000L, 1_000_000L, 1_000L, 1L};
  private static final String[] UNITS = {"d", "h", "m", "s", "ms", "us", "ns"};

  static String render(Duration d) {
    long nanos = d.toNanos();
    if (nanos == 0) {
      return "0s";
    }
    for (int i = 0; i < NANOS.length; i++) {
      if (nanos % NANOS[i] == 0) {
        return nanos / NANOS[i] + UNITS[i];
      }
    }
    throw new AssertionError("unreachable: every long is a multiple of 1 ns");
  }
}
