package org.rdnas.proxy;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.rdnas.space.Arch;
import org.rdnas.testing.NdLeakCheck;

/**
 * The modern proxies through the scorer on self-generated data: seeded draws, ZiCo's second minibatch,
 * and the degenerate nets whose scores the authors' code makes -infinity, which become failed rows.
 */
@ExtendWith(NdLeakCheck.class)
class ModernProxyScorerTest {
  static final Arch IDENTITY_CELL = Arch.parse("|nor_conv_3x3~0|+|none~0|none~1|+|skip_connect~0|none~1|none~2|");

  static ProxyScorer scorer(long seed) {
    return ProxyScorer.builder(ProxyScorerTest.TINY, Proxies.byNames(Proxies.MODERN))
        .optData(ProxyScorerTest.DATA).optBatchSize(16).optSeed(seed).build();
  }

  static Map<String, ProxyScore> byName(List<ProxyScore> scores) {
    Map<String, ProxyScore> m = new TreeMap<>();
    scores.forEach(s -> m.put(s.proxy(), s));
    return m;
  }

  @Test
  void modernProxiesScoreAConnectedNetReproduciblyFromTheSeed(NDManager m) {
    List<ProxyScore> first = scorer(7).score(m, ProxyScorerTest.GOOD);
    assertEquals(Proxies.MODERN, first.stream().map(ProxyScore::proxy).toList());
    for (ProxyScore p : first) {
      assertTrue(p.ok(), p.proxy() + " failed: " + p.error());
    }
    scorer(7).score(m, ProxyScorerTest.DISCONNECTED);
    assertEquals(ProxyScorerTest.values(first), ProxyScorerTest.values(scorer(7).score(m, ProxyScorerTest.GOOD)));
    Map<String, Double> other = ProxyScorerTest.values(scorer(8).score(m, ProxyScorerTest.GOOD));
    for (String p : Proxies.MODERN) {
      assertNotEquals(ProxyScorerTest.values(first).get(p), other.get(p), p + " should depend on the seed");
    }
    Map<String, ProxyScore> s = byName(first);
    try (ProxyContext ctx = ProxyContext.builder(m, ProxyScorerTest.TINY, ProxyScorerTest.GOOD).build()) {
      assertEquals(s.get("swap").value() * SwapReg.factor(ctx), s.get("swap_reg").value(), 1e-9);
    }
    // The prior is configurable (rdnas.proxy.swap-reg-mu, -sigma): a prior centred on the net's own
    // parameter count leaves SWAP as it is.
    double p;
    try (ProxyContext ctx = ProxyContext.builder(m, ProxyScorerTest.TINY, ProxyScorerTest.GOOD)
        .build()) {
      p = ctx.benchmarkNetwork().parameterCount(ProxyScorerTest.GOOD) / 1e3;
    }
    Map<String, ProxyScore> centred = byName(ProxyScorer.builder(ProxyScorerTest.TINY,
            Proxies.byNames(List.of("swap", "swap_reg"))).optData(ProxyScorerTest.DATA)
        .optBatchSize(16).optSeed(7).optSwapRegPrior(p, 1e6).build()
        .score(m, ProxyScorerTest.GOOD));
    assertEquals(centred.get("swap").value(), centred.get("swap_reg").value(), 1e-9);
    assertTrue(s.get("swap").value() >= 1 && s.get("swap").value() <= 1 << 16);
    assertTrue(s.get("az_trainability").value() <= 0, "each pair scores at most 0");
  }

  @Test
  void degenerateNetsGiveFailedRowsWithTheReason(NDManager m) {
    Map<String, ProxyScore> allNone = byName(scorer(1).score(m, Arch.fromId(0)));
    // An all-zero covariance: entropy 0/0, reported as -infinity.
    for (String p : List.of("az_expressivity", "az_progressivity")) {
      assertFalse(allNone.get(p).ok(), p);
      assertEquals("score is -infinity", allNone.get(p).error());
    }
    // Zero Jacobians cost -1e6 per pair but stay finite; every ZiCo layer is skipped; one pattern.
    assertTrue(allNone.get("az_trainability").ok() && allNone.get("az_trainability").value() < -1e5);
    assertEquals(0.0, allNone.get("zico").value());
    assertEquals(1.0, allNone.get("swap").value());
    assertTrue(allNone.get("meco").ok());
    Map<String, ProxyScore> identity = byName(scorer(1).score(m, IDENTITY_CELL));
    assertFalse(identity.get("az_trainability").ok());
    assertEquals("score is -infinity", identity.get("az_trainability").error());
    assertTrue(identity.get("az_expressivity").ok() && identity.get("zico").ok());
  }

  @Test
  void zicoGetsASecondDistinctMinibatchAndTheFirstIsUnchanged() {
    ProxyScorer s = scorer(3);
    int[] one = s.batchIndices(ProxyScorerTest.GOOD);
    int[] two = s.batchIndices(ProxyScorerTest.GOOD, 2);
    assertArrayEquals(one, Arrays.copyOf(two, one.length));
    assertEquals(two.length, Arrays.stream(two).distinct().count());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ProxyScorer.builder(ProxyScorerTest.TINY, Proxies.byNames(List.of("zico")))
            .optData(ProxyScorerTest.DATA).optBatchSize(128).build());
    assertTrue(e.getMessage().contains("zico"), e.getMessage());
  }

  @Test
  void manyArchsInARowLeaveNoArrayOpen(NDManager m) {
    ProxyScorer s = scorer(0);
    for (Arch a : org.rdnas.space.Nb201Space.full().sample(6, 5)) {
      s.score(m, a);
      assertEquals(0, m.getManagedArrays().size(), "arrays left open after " + a);
    }
  }
}
