package org.rdnas.experiment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import org.junit.jupiter.api.Test;
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
