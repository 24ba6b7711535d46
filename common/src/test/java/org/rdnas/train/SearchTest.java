package org.rdnas.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rdnas.benchmark.Nb201Table;
import org.rdnas.space.Arch;
import org.rdnas.space.Nb201Space;

class SearchTest {
  private static final Nb201Space SPACE = Nb201Space.full();

  @Test
  void combinesTheSupernetsAndTheTeachersRanksAndPlacesEachInTheSpace() throws IOException {
    List<Arch> candidates = SPACE.sample(4, 3);
    double[] accuracy = {0.5, 0.9, 0.7, 0.7};
    // The teacher prefers candidate 0, then 3, 2, 1.
    Map<String, double[]> columns = new LinkedHashMap<>();
    columns.put("flops", new double[] {40, 10, 20, 30});
    Teacher teacher = Teacher.of(RankingTable.of(candidates, new boolean[] {true, true, true,
        true}, columns), List.of("flops"));
    // Ground truth for the whole space: arch id / 100; the candidates' own values set apart.
    StringBuilder csv = new StringBuilder("arch_str,acc\n");
    SPACE.stream().forEach(a -> csv.append(a).append(',').append(a.id() / 100.0).append('\n'));
    Nb201Table truth = Nb201Table.read(new ByteArrayInputStream(csv.toString()
        .getBytes(StandardCharsets.UTF_8)), "test", List.of("acc"));

    List<Search.Row> rows = Search.rank(candidates, accuracy, teacher, 0.5, truth, "acc", SPACE);
    Map<Long, Search.Row> byId = new LinkedHashMap<>();
    rows.forEach(r -> byId.put(r.archId(), r));
    // Supernet ranks: 1 -> 1, 2 and 3 tie at 2.5, 0 -> 4; teacher ranks: 0 -> 1, 3 -> 2, 2 -> 3,
    // 1 -> 4; combined 0.5 * (s + t): 0 -> 2.5, 1 -> 2.5, 2 -> 2.75, 3 -> 2.25.
    Search.Row r0 = byId.get((long) candidates.get(0).id());
    assertEquals(4, r0.supernetRank());
    assertEquals(1, r0.teacherRank());
    assertEquals(2.5, byId.get((long) candidates.get(2).id()).supernetRank());
    assertEquals(candidates.get(3).id(), rows.get(0).archId(), "best combined first");
    assertEquals(1, rows.get(0).combinedRank());
    assertEquals(4, rows.get(3).combinedRank());
    assertEquals(candidates.get(2).id(), rows.get(3).archId());
    for (Search.Row r : rows) {
      int better = (int) SPACE.stream().filter(a -> a.id() > r.archId()).count();
      assertEquals(better + 1, r.trueRank());
      assertEquals(100.0 * (r.archId() + 1) / SPACE.size(), r.truePercentile(), 1e-9);
      assertEquals(r.archId() / 100.0, r.groundTruth(), 1e-12);
    }

    List<Search.Row> alone = Search.rank(candidates, accuracy, null, 0.5, null, "acc", SPACE);
    assertEquals(candidates.get(1).id(), alone.get(0).archId(), "no teacher: the supernet's rank");
    assertNull(alone.get(0).teacherRank());
    assertNull(alone.get(0).trueRank());
  }
}
