package org.rdnas.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import org.junit.jupiter.api.Test;
import org.rdnas.space.Arch;
import org.rdnas.space.Nb201Space;

class ExperimentPlanTest {
  private final Nb201Space space = Nb201Space.withoutNone();

  @Test
  void evalArchsAreDistinctCandidatesAndTheDrawIsReproducible() {
    ExperimentPlan p = ExperimentPlan.draw(space, 300, 40, 7);
    assertEquals(300, new HashSet<>(p.candidates()).size());
    assertEquals(40, new HashSet<>(p.eval()).size());
    assertTrue(p.candidates().containsAll(p.eval()));
    assertEquals(40, p.validation().size());
    assertTrue(p.candidates().containsAll(p.validation()));
    assertTrue(p.validation().stream().noneMatch(p.eval()::contains), "validation is disjoint");
    assertTrue(p.candidates().stream().allMatch(space::contains));
    assertEquals(p, ExperimentPlan.draw(space, 300, 40, 7));
    assertNotEquals(p.eval(), ExperimentPlan.draw(space, 300, 40, 8).eval());
    for (int i = 1; i < p.eval().size(); i++) {
      assertTrue(p.eval().get(i - 1).id() < p.eval().get(i).id(), "sorted by id");
    }
  }

  @Test
  void excludedArchsAreNeverDrawnAndTheRestStaysUniform() {
    java.util.Set<Integer> excluded = new HashSet<>();
    space.sample(2000, 11).forEach(a -> excluded.add(a.id()));
    ExperimentPlan p = ExperimentPlan.draw(space, 1500, 200, 7, excluded);
    assertEquals(1500, new HashSet<>(p.candidates()).size());
    assertTrue(p.candidates().stream().noneMatch(a -> excluded.contains(a.id())));
    assertEquals(p, ExperimentPlan.draw(space, 1500, 200, 7, excluded), "reproducible");
    // Uniform over the others: about half the candidates below the allowed archs' median id,
    // within 5 standard deviations.
    int[] allowed = space.stream().mapToInt(Arch::id).filter(i -> !excluded.contains(i)).sorted()
        .toArray();
    int median = allowed[allowed.length / 2];
    long low = p.candidates().stream().filter(a -> a.id() < median).count();
    assertTrue(Math.abs(low - 750) < 5 * Math.sqrt(1500 * 0.25), low + " of 1500 below the median");
    assertThrows(IllegalArgumentException.class,
        () -> ExperimentPlan.draw(space, space.size() - 1999, 10, 0, excluded));
  }

  @Test
  void theWholeSpaceCanBeTheCandidates() {
    ExperimentPlan p = ExperimentPlan.draw(space, space.size(), 100, 0);
    assertEquals(space.size(), p.candidates().size());
    assertEquals(100, p.eval().size());
    assertEquals(100, p.validation().size());
    assertEquals(10, ExperimentPlan.draw(space, 30, 20, 0).validation().size(), "what is left");
  }

  @Test
  void evalArchsAreSpreadOverTheSpaceNotTakenFromOneEnd() {
    ExperimentPlan p = ExperimentPlan.draw(space, 1000, 100, 0);
    double meanRank = p.eval().stream().mapToInt(a -> p.candidates().indexOf(a)).average()
        .orElseThrow();
    // Uniform subset: mean position ~ 500 with sd ~ 29; a biased pick would sit far from it.
    assertTrue(Math.abs(meanRank - 499.5) < 120, "mean position " + meanRank);
  }

  @Test
  void countsThatDoNotFitAreRefusedWithTheirValues() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ExperimentPlan.draw(space, 5000, 10, 0));
    assertTrue(e.getMessage().contains("5000"), e.getMessage());
    e = assertThrows(IllegalArgumentException.class, () -> ExperimentPlan.draw(space, 50, 60, 0));
    assertTrue(e.getMessage().contains("60"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> ExperimentPlan.draw(space, 50, 1, 0));
  }
}
