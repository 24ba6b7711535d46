package org.rdnas.data;

/** Stateless mixing of several longs into one well-spread seed, so any draw can be recomputed alone. */
final class SeedMix {

  private static final long GOLDEN = 0x9E3779B97F4A7C15L;

  private SeedMix() {}

  /** Mixes three values; every input bit affects every output bit. */
  static long mix(long a, long b, long c) {
    long h = mix64(a + GOLDEN);
    h = mix64(h ^ (b + 2 * GOLDEN));
    return mix64(h ^ (c + 3 * GOLDEN));
  }

  // Stafford's variant 13, the finaliser of SplitMix64.
  private static long mix64(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }
}
