package org.rdnas.rank;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AggregateTest {
  private static final double NAN = Double.NaN;

  @Test
  void parsesAndPrintsItsDefinition() {
    Aggregate a = Aggregate.parse(" mine = mean-rank( zico,meco , flops ) ");
    assertEquals("mine", a.name());
    assertEquals(Aggregate.Rule.MEAN_RANK, a.rule());
    assertEquals(List.of("zico", "meco", "flops"), a.of());
    assertEquals("mine = mean-rank(zico, meco, flops)", a.toString());
    assertEquals(a, Aggregate.parse(a.toString()));
    assertEquals(Aggregate.AZ_NAS, Aggregate.parse(
        "az_nas = log-rank-sum(az_expressivity, az_progressivity, az_trainability, flops)"));
  }

  @Test
  void badDefinitionsSayWhatIsWrong() {
    for (String[] c : new String[][] {
        {"mine = mean-rank(zico)", "two or more distinct"},
        {"mine = mean-rank(zico, zico)", "two or more distinct"},
        {"mine = median(zico, meco)", "unknown rule 'median'"},
        {"Mine = mean-rank(zico, meco)", "not of the form"},
        {"mine mean-rank(zico, meco)", "not of the form"},
        {"mine = mean-rank(mine, meco)", "cannot be one of its components"}}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> Aggregate.parse(c[0]), c[0]);
      assertTrue(e.getMessage().contains(c[1]), e.getMessage());
    }
  }

  @Test
  void logRankSumIsAzNasRuleWithAverageRanks() {
    double[] a = {3, 1, 2, 2};
    double[] b = {10, 40, 20, 30};
    // Ranks: a = 4, 1, 2.5, 2.5; b = 1, 4, 2, 3; N = 4.
    double[] expected = {Math.log(4 / 4.0) + Math.log(1 / 4.0),
        Math.log(1 / 4.0) + Math.log(4 / 4.0), Math.log(2.5 / 4) + Math.log(2 / 4.0),
        Math.log(2.5 / 4) + Math.log(3 / 4.0)};
    double[] got = Aggregate.parse("x = log-rank-sum(a, b)").compute(Map.of("a", a, "b", b));
    assertArrayEquals(expected, got, 1e-12);
    double[] mean = Aggregate.parse("x = mean-rank(a, b)").compute(Map.of("a", a, "b", b));
    assertArrayEquals(new double[] {2.5, 2.5, 2.25, 2.75}, mean, 1e-12);
  }

  @Test
  void aMissingComponentRanksItsRowLowestAndAllMissingGivesNone() {
    double[] a = {NAN, 5, Double.NEGATIVE_INFINITY, 1};
    double[] b = {NAN, 2, 3, 1};
    double[] got = Aggregate.parse("x = mean-rank(a, b)").compute(Map.of("a", a, "b", b));
    // a's ranks: rows 0 and 2 missing tie at 1.5, row 3 = 3, row 1 = 4; b's: row 0 lowest = 1.
    assertTrue(Double.isNaN(got[0]), "every component missing: no aggregate");
    assertEquals((4 + 3) / 2.0, got[1], 1e-12);
    assertEquals((1.5 + 4) / 2.0, got[2], 1e-12);
    assertEquals((3 + 2) / 2.0, got[3], 1e-12);
  }

  @Test
  void aMissingColumnIsNamed() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Aggregate.AZ_NAS.compute(Map.of("flops", new double[2])));
    assertTrue(e.getMessage().contains("az_nas needs column az_expressivity"), e.getMessage());
  }
}
