package org.rdnas.rank;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.rdnas.util.Seeds;

class BootstrapTest {
  @Test
  void intervalBracketsTheEstimateAndIsReproducible() {
    SplittableRandom rng = new SplittableRandom(7);
    int n = 60;
    double[] truth = new double[n];
    double[] predicted = new double[n];
    for (int i = 0; i < n; i++) {
      truth[i] = rng.nextDouble();
      predicted[i] = truth[i] + 0.3 * Seeds.gaussian(rng);
    }
    Bootstrap.Interval ci = Bootstrap.kendallTauB(predicted, truth, 500, 3);
    assertEquals(Correlation.kendallTauB(predicted, truth), ci.estimate(), 0);
    assertTrue(ci.lower() < ci.estimate() && ci.estimate() < ci.upper(), ci.toString());
    assertTrue(ci.upper() - ci.lower() > 0.05 && ci.upper() - ci.lower() < 0.6, ci.toString());
    assertEquals(500, ci.valid());
    assertEquals(0.95, ci.level());
    assertEquals(ci, Bootstrap.kendallTauB(predicted, truth, 500, 3));
    Bootstrap.Interval other = Bootstrap.kendallTauB(predicted, truth, 500, 4);
    assertTrue(other.lower() != ci.lower() || other.upper() != ci.upper());
  }

  @Test
  void perfectAgreementHasADegenerateInterval() {
    double[] x = {1, 2, 3, 4, 5, 6, 7, 8};
    Bootstrap.Interval ci = Bootstrap.kendallTauB(x, x, 200, 1);
    assertEquals(1.0, ci.estimate(), 1e-12);
    assertEquals(1.0, ci.lower(), 1e-12);
    assertEquals(1.0, ci.upper(), 1e-12);
    // Resamples that draw one point 8 times are constant and skipped, not counted as NaN bounds.
    assertTrue(ci.valid() <= 200 && ci.valid() > 190);
  }

  @Test
  void zeroResamplesGiveNaNBoundsAndBadArgumentsAreRejected() {
    double[] x = {1, 2, 3};
    double[] y = {1, 3, 2};
    Bootstrap.Interval ci = Bootstrap.kendallTauB(x, y, 0, 1);
    assertTrue(Double.isNaN(ci.lower()) && Double.isNaN(ci.upper()));
    assertEquals(Correlation.kendallTauB(x, y), ci.estimate());
    assertThrows(IllegalArgumentException.class, () -> Bootstrap.kendallTauB(x, y, -1, 1));
    assertThrows(IllegalArgumentException.class,
        () -> Bootstrap.interval(x, y, Correlation::pearson, 10, 1.0, 1));
  }

  @Test
  void quantileInterpolatesLikeNumpy() {
    double[] s = {1, 2, 3, 4};
    assertEquals(1.075, Bootstrap.quantile(s, 0.025), 1e-12);
    assertEquals(3.925, Bootstrap.quantile(s, 0.975), 1e-12);
    assertEquals(2.5, Bootstrap.quantile(s, 0.5), 1e-12);
  }

  @Test
  void reportCombinesTheMetrics() {
    double[] truth = {10, 6, 2, 8, 4, Double.NaN};
    double[] predicted = {0.9, 0.1, 0.8, 0.7, 0.2, 0.5};
    RankingReport r = RankingReport.of(predicted, truth, 3, 100, 0);
    assertEquals(5, r.n());
    assertEquals(3, r.k());
    assertEquals(2.0 / 3, r.precisionAtK(), 1e-12);
    assertEquals(1, r.bestTrueRankInTopK());
    assertEquals(5, r.worstTrueRankInTopK());
    assertEquals(Correlation.kendallTauB(predicted, truth), r.kendallTau().estimate(), 0);
    assertEquals(Correlation.spearman(predicted, truth), r.spearman(), 0);
    assertEquals(Correlation.pearson(predicted, truth), r.pearson(), 0);
    assertEquals(5, RankingReport.of(predicted, truth, 50, 0, 0).k());
    assertThrows(IllegalArgumentException.class,
        () -> RankingReport.of(new double[] {1}, new double[] {2}, 1, 0, 0));
  }
}
