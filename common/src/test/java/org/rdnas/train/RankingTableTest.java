package org.rdnas.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rdnas.space.Arch;
import org.rdnas.space.Nb201Space;

class RankingTableTest {
  static final List<Arch> ARCHS = Nb201Space.withoutNone().sample(5, 1);

  static RankingTable table() {
    Map<String, double[]> cols = new LinkedHashMap<>();
    cols.put("flops", new double[] {5, 1, 3, Double.NaN, 2});
    cols.put("snip", new double[] {10, 40, 30, 20, Double.NaN});
    cols.put("synflow", new double[] {1, 2, 3, 4, 5});
    return RankingTable.of(ARCHS, new boolean[] {true, true, false, true, true}, cols);
  }

  @Test
  void holdsRowsColumnsAndStatus() {
    RankingTable t = table();
    assertEquals(5, t.size());
    assertEquals(List.of("flops", "snip", "synflow"), t.columnNames());
    assertEquals(ARCHS.get(3).id(), t.archId(3));
    assertEquals(3, t.rowOf(ARCHS.get(3).id()));
    assertEquals(-1, t.rowOf(0));
    assertFalse(t.ok(2));
    assertEquals(40, t.value("snip", 1));
    double[] col = t.column("flops");
    col[0] = 99;
    assertEquals(5, t.value("flops", 0), "columns are copies");
    RankingTable byId = RankingTable.ofArchIds(ARCHS.stream().mapToLong(Arch::id).toArray(),
        new boolean[5], Map.of());
    assertEquals(ARCHS.get(4).id(), byId.archId(4));
  }

  @Test
  void rejectsMismatchedLengthsAndDuplicateArchs() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> RankingTable.of(ARCHS, new boolean[5], Map.of("flops", new double[4])));
    assertTrue(e.getMessage().contains("'flops' has 4 values for 5 archs"), e.getMessage());
    assertThrows(IllegalArgumentException.class,
        () -> RankingTable.of(ARCHS, new boolean[4], Map.of()));
    e = assertThrows(IllegalArgumentException.class, () -> RankingTable.of(
        List.of(ARCHS.get(0), ARCHS.get(0)), new boolean[2], Map.of()));
    assertTrue(e.getMessage().contains("twice"), e.getMessage());
  }

  @Test
  void singleColumnTeacherSkipsFailedAndNaNRows() {
    Teacher t = Teacher.of(table(), List.of("flops"));
    // row 2 failed, row 3 has no flops
    assertArrayEquals(new int[] {0, 1, 4}, t.eligibleRows());
    assertEquals(5, t.score(0));
    assertTrue(Double.isNaN(t.score(2)));
    assertTrue(Double.isNaN(t.score(3)));
    assertEquals(Preference.A, t.prefers(0, 1));
    assertEquals(Preference.B, t.prefers(1, 0));
    assertEquals(Preference.B, t.prefers(1, 4));
    assertThrows(IllegalArgumentException.class, () -> t.prefers(0, 3));
  }

  @Test
  void ensembleIsTheMeanRankAmongEligibleRows() {
    Teacher t = Teacher.of(table(), List.of("synflow", "snip"));
    // eligible: ok and both values present: rows 0, 1, 3
    assertArrayEquals(new int[] {0, 1, 3}, t.eligibleRows());
    // synflow ranks among rows 0,1,3: 1,2,3; snip ranks (10,40,20): 1,3,2
    assertEquals(1.0, t.score(0));
    assertEquals(2.5, t.score(1));
    assertEquals(2.5, t.score(3));
    // equal scores: the tie goes to a, as in the authors' code
    assertEquals(Preference.A, t.prefers(1, 3));
    assertEquals(Preference.A, t.prefers(3, 1));
    assertEquals(Preference.B, t.prefers(0, 3));
  }

  @Test
  void missingColumnsAreNamedWithTheAvailableOnes() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Teacher.of(table(), List.of("flops", "zen", "naswot")));
    assertEquals("ranking table has no teacher columns [zen, naswot]; available columns: "
        + "[flops, snip, synflow]", e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> Teacher.of(table(), List.of("zen")));
    assertTrue(e.getMessage().startsWith("ranking table has no teacher column [zen]"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> Teacher.of(table(), List.of()));
    assertThrows(IllegalArgumentException.class,
        () -> Teacher.of(table(), List.of("flops", "flops")));
  }
}
