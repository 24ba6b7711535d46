package org.rdnas.util;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * Seed derivation: every random draw in rdnas comes from a seed mixed from (run seed, arch id or step,
 * purpose), so one row or one step can be recomputed alone, on any machine.
 */
public final class Seeds {
  private Seeds() {}

  /** A well-mixed 64-bit seed from two values (SplitMix64 finaliser over their combination). */
  public static long mix(long a, long b) {
    long z = a * 0x9E3779B97F4A7C15L + b;
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** A seed from several values, mixed left to right. */
  public static long mix(long a, long... more) {
    long s = a;
    for (long b : more) {
      s = mix(s, b);
    }
    return s;
  }

  /** A stable 64-bit hash of a string (FNV-1a over its UTF-8 bytes). */
  public static long hash(String s) {
    long h = 0xcbf29ce484222325L;
    for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xff;
      h *= 0x100000001b3L;
    }
    return h;
  }

  /** A standard normal draw (Box-Muller; the same sequence on every JVM). */
  public static double gaussian(SplittableRandom rng) {
    double u1 = rng.nextDouble();
    double u2 = rng.nextDouble();
    return Math.sqrt(-2 * Math.log1p(-u1)) * Math.cos(2 * Math.PI * u2);
  }
}
