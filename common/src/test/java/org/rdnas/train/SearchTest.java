package org.rdnas.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.DoubleStream;
import org.junit.jupiter.api.Test;
import org.rdnas.benchmark.Nb201Table;
import org.rdnas.space.Arch;
import org.rdnas.space.Nb201Space;

class SearchTest {
  private static final Nb201Space SPACE = Nb201Space.full();

  @Test
  void combinesTheSupernetsAndTheTeachersRanksAndPlacesEachInTheSpace() throws IOException {
    List<Arch> candidates = SPACE.sample(4, 3);
    List<SubnetEvaluator.Result> results = DoubleStream.of(0.5, 0.9, 0.7, 0.7)
        .mapToObj(a -> new SubnetEvaluator.Result(a, 2 - a)).toList();
    // The teacher prefers candidate 0, then 3, 2, 1.
    Map<String, double[]> columns = new LinkedHashMap<>();
    columns.put("flops", new double[] {40, 10, 20, 30});
    Teacher teacher = Teacher.of(RankingTable.of(candidates, new boolean[] {true, true, true,
        true}, columns), List.of("flops"));
    // Ground truth for the whole space: arch id / 100; the candidates' own values set apart.
    // test_acc = 90 + id / 1000, read as a headline column beside it.
    StringBuilder csv = new StringBuilder("arch_str,acc,test_acc\n");
    SPACE.stream().forEach(a -> csv.append(a).append(',').append(a.id() / 100.0).append(',')
        .append(90 + a.id() / 1000.0).append('\n'));
    Nb201Table truth = Nb201Table.read(new ByteArrayInputStream(csv.toString()
        .getBytes(StandardCharsets.UTF_8)), "test", List.of("acc"), Search.HEADLINE_COLUMNS);

    List<Long> ids = candidates.stream().map(a -> (long) a.id()).toList();
    List<Search.Row> rows = Search.rank(ids, results, teacher, 0.5, truth, "acc", SPACE,
        id -> Arch.fromId(id).toString());
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
      assertEquals(2 - r.supernetAccuracy(), r.supernetLoss(), 1e-12);
    }

    // The top-1 of each method: the supernet's tie-free best (1), the teacher's (0), the
    // combined rank's (3), with the headline columns the table has (test_acc, not valid_test_acc).
    List<Search.Found> found = Search.found(rows, truth);
    assertEquals(List.of("supernet", "teacher", "combined"),
        found.stream().map(Search.Found::method).toList());
    int[] expected = {1, 0, 3};
    for (int i = 0; i < 3; i++) {
      Arch a = candidates.get(expected[i]);
      assertEquals(a.id(), found.get(i).archId(), found.get(i).method());
      assertEquals(90 + a.id() / 1000.0, found.get(i).testAcc(), 1e-12);
      assertNull(found.get(i).validTestAcc());
    }

    List<Search.Row> alone = Search.rank(ids, results, (Teacher) null, 0.5, null, "acc", SPACE,
        id -> Arch.fromId(id).toString());
    assertEquals(candidates.get(1).id(), alone.get(0).archId(), "no teacher: the supernet's rank");
    assertNull(alone.get(0).teacherRank());
    assertNull(alone.get(0).trueRank());
    assertEquals(List.of("supernet", "combined"),
        Search.found(alone, null).stream().map(Search.Found::method).toList());
    // Candidates 2 and 3 tie on the supernet; the teacher's rank breaks the tie (3 before 2).
    List<Search.Row> tied = rows.stream().filter(r -> r.archId() != candidates.get(1).id()).toList();
    assertEquals(candidates.get(3).id(), Search.found(tied, null).get(0).archId());
  }
}
