package org.rdnas.rank;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class TopKTest {
  @Test
  void precisionAndRankRangeOnHandMadeScores() {
    // truth ranks: item 0 best (10), then 3 (8), 1 (6), 4 (4), 2 (2)
    double[] truth = {10, 6, 2, 8, 4};
    double[] predicted = {0.9, 0.1, 0.8, 0.7, 0.2}; // predicted top 3: items 0, 2, 3
    assertEquals(2.0 / 3, TopK.precisionAtK(predicted, truth, 3), 1e-12);
    assertArrayEquals(new int[] {1, 5}, TopK.trueRankRangeOfTopK(predicted, truth, 3));
    assertEquals(1.0, TopK.precisionAtK(predicted, truth, 1));
    assertArrayEquals(new int[] {1, 1}, TopK.trueRankRangeOfTopK(predicted, truth, 1));
    assertEquals(1.0, TopK.precisionAtK(predicted, truth, 5));
  }

  @Test
  void perfectAndReversedRankings() {
    double[] truth = {1, 2, 3, 4, 5, 6, 7, 8, 9, 10};
    double[] reversed = new double[10];
    for (int i = 0; i < 10; i++) {
      reversed[i] = -truth[i];
    }
    assertEquals(1.0, TopK.precisionAtK(truth, truth, 3));
    assertArrayEquals(new int[] {1, 3}, TopK.trueRankRangeOfTopK(truth, truth, 3));
    assertEquals(0.0, TopK.precisionAtK(reversed, truth, 3));
    assertArrayEquals(new int[] {8, 10}, TopK.trueRankRangeOfTopK(reversed, truth, 3));
  }

  @Test
  void tiesShareTheBetterTrueRankAndPredictedTiesBreakByPosition() {
    double[] truth = {5, 5, 1, 1};
    double[] predicted = {1, 1, 1, 1}; // all tied: top 2 are positions 0 and 1
    assertEquals(1.0, TopK.precisionAtK(predicted, truth, 2));
    assertArrayEquals(new int[] {1, 1}, TopK.trueRankRangeOfTopK(predicted, truth, 2));
    assertArrayEquals(new int[] {1, 3}, TopK.trueRankRangeOfTopK(predicted, truth, 3));
  }

  @Test
  void nanPairsAreDroppedAndKIsChecked() {
    double[] truth = {3, Double.NaN, 1, 2};
    double[] predicted = {3, 100, 2, 1};
    assertArrayEquals(new int[] {1, 3}, TopK.trueRankRangeOfTopK(predicted, truth, 2));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> TopK.precisionAtK(predicted, truth, 4));
    assertTrue(e.getMessage().contains("k <= 3"), e.getMessage());
    assertThrows(IllegalArgumentException.class, () -> TopK.precisionAtK(predicted, truth, 0));
  }
}
