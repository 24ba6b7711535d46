package org.rdnas.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SeedStatsTest {
  @Test
  void threeSeedsUseStudentsTWithTwoDegreesOfFreedom() {
    SeedStats s = SeedStats.of(new double[] {0.1, 0.2, 0.3});
    assertEquals(3, s.n());
    assertEquals(0.2, s.mean(), 1e-12);
    assertEquals(0.1, s.sd(), 1e-12);
    double half = 4.303 * 0.1 / Math.sqrt(3);
    assertEquals(0.2 - half, s.lower(), 1e-12);
    assertEquals(0.2 + half, s.upper(), 1e-12);
  }

  @Test
  void oneValueHasNoIntervalAndNaNsAreIgnored() {
    SeedStats s = SeedStats.of(new double[] {Double.NaN, 0.5});
    assertEquals(1, s.n());
    assertEquals(0.5, s.mean());
    assertTrue(Double.isNaN(s.lower()) && Double.isNaN(s.sd()));
    assertEquals(0, SeedStats.of(new double[0]).n());
  }

  @Test
  void manySeedsApproachTheNormalQuantile() {
    assertEquals(2.042, SeedStats.tQuantile975(30));
    assertEquals(1.960, SeedStats.tQuantile975(100));
  }
}
