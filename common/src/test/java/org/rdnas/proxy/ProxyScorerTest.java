package org.rdnas.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.rdnas.data.BatchAssembler;
import org.rdnas.data.SyntheticImages;
import org.rdnas.nn.CellConvention;
import org.rdnas.nn.Nb201Network;
import org.rdnas.nn.NetworkConfig;
import org.rdnas.space.Arch;
import org.rdnas.space.Nb201Space;
import org.rdnas.testing.NdLeakCheck;

/** The scorer on self-generated data: statuses, determinism, failures, time budget, scopes. */
@ExtendWith(NdLeakCheck.class)
class ProxyScorerTest {
  static final Nb201Network TINY = Nb201Network.of(new NetworkConfig(4, 1, 3, 10, CellConvention.SEARCH));
  static final BatchAssembler DATA = BatchAssembler.standard(SyntheticImages.standard().generate(200, 1));
  static final Arch GOOD = Arch.parse(
      "|nor_conv_3x3~0|+|nor_conv_1x1~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|nor_conv_1x1~2|");
  static final Arch DISCONNECTED = Arch.parse(
      "|nor_conv_3x3~0|+|none~0|none~1|+|none~0|none~1|avg_pool_3x3~2|");

  static ProxyScorer scorer(long seed) {
    return ProxyScorer.builder(TINY, Proxies.byNames(Proxies.DEFAULT)).optData(DATA)
        .optBatchSize(16).optSeed(seed).build();
  }

  static Map<String, Double> values(List<ProxyScore> scores) {
    Map<String, Double> m = new TreeMap<>();
    scores.forEach(s -> m.put(s.proxy(), s.value()));
    return m;
  }

  @Test
  void registryFindsTheTenProxiesByName() {
    List<String> all = new ArrayList<>(Proxies.DEFAULT);
    all.addAll(Proxies.MODERN);
    assertEquals(all, Proxies.names());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> Proxies.byName("synflw"));
    assertTrue(e.getMessage().contains("unknown proxy 'synflw'") && e.getMessage().contains("synflow"));
    assertFalse(Proxies.byName("flops").needsData());
    assertTrue(Proxies.byName("grasp").needsBackward());
  }

  @Test
  void everyProxyScoresAConnectedNetAndScoresAreReproducibleInAnyOrder(NDManager m) {
    ProxyScorer s = scorer(7);
    List<ProxyScore> first = s.score(m, GOOD);
    assertEquals(Proxies.DEFAULT, first.stream().map(ProxyScore::proxy).toList());
    for (ProxyScore p : first) {
      assertTrue(p.ok(), p.proxy() + " failed: " + p.error());
      assertTrue(Double.isFinite(p.value()) && p.millis() >= 0);
    }
    // Another arch scored in between, and a fresh scorer: the same values, bit for bit.
    s.score(m, DISCONNECTED);
    assertEquals(values(first), values(scorer(7).score(m, GOOD)));
    Map<String, Double> otherSeed = values(scorer(8).score(m, GOOD));
    assertNotEquals(values(first).get("snip"), otherSeed.get("snip"));
    assertEquals(values(first).get("flops"), otherSeed.get("flops"));
  }

  @Test
  void disconnectedNetsFailTheProxiesThatAreUndefinedForThem(NDManager m) {
    Map<String, ProxyScore> byName = new TreeMap<>();
    scorer(1).score(m, DISCONNECTED).forEach(p -> byName.put(p.proxy(), p));
    // The output ignores the input: no Jacobian correlation, no feature change.
    for (String p : List.of("jacob_cov", "zen")) {
      assertFalse(byName.get(p).ok(), p + " should fail on a disconnected net");
      assertTrue(Double.isNaN(byName.get(p).value()));
      assertTrue(byName.get(p).error().startsWith("score is"), byName.get(p).error());
    }
    assertEquals(0.0, byName.get("synflow").value());
    assertTrue(byName.get("params").ok() && byName.get("flops").ok());
    // The dead conv still codes its ReLU inputs, so NASWOT is defined; with no op at all it is not.
    assertTrue(byName.get("naswot").ok());
    ProxyScore allNone = scorer(1).score(m, Arch.fromId(0)).get(Proxies.DEFAULT.indexOf("naswot"));
    assertFalse(allNone.ok());
    assertEquals("score is -infinity", allNone.error());
  }

  @Test
  void aThrowingProxyYieldsAFailedScoreNotAFailedRun(NDManager m) {
    ZeroCostProxy broken = new AbstractProxy("broken", false, false) {
      @Override
      public double score(ProxyContext ctx) {
        throw new IllegalStateException("boom");
      }
    };
    List<ProxyScore> out = ProxyScorer.builder(TINY, List.of(broken, Proxies.byName("params")))
        .build().score(m, GOOD);
    assertFalse(out.get(0).ok());
    assertEquals("IllegalStateException: boom", out.get(0).error());
    assertTrue(out.get(1).ok());
  }

  @Test
  void aSpentBudgetMarksTheRemainingProxiesFailed(NDManager m) {
    List<ProxyScore> out = ProxyScorer.builder(TINY, Proxies.byNames(List.of("snip", "params")))
        .optData(DATA).optBatchSize(16).optTimeout(Duration.ofNanos(1)).build().score(m, GOOD);
    for (ProxyScore p : out) {
      assertFalse(p.ok());
      assertTrue(p.error().startsWith("timed out"), p.error());
    }
  }

  @Test
  void minibatchesAreSeededDistinctAndInRange() {
    ProxyScorer s = scorer(3);
    int[] a = s.batchIndices(GOOD);
    assertEquals(16, a.length);
    assertEquals(16, java.util.Arrays.stream(a).distinct().count());
    assertTrue(java.util.Arrays.stream(a).allMatch(i -> i >= 0 && i < 200));
    assertEquals(java.util.Arrays.toString(a), java.util.Arrays.toString(scorer(3).batchIndices(GOOD)));
    assertNotEquals(java.util.Arrays.toString(a), java.util.Arrays.toString(s.batchIndices(DISCONNECTED)));
  }

  @Test
  void dataProxiesNeedADataset() {
    assertThrows(IllegalArgumentException.class,
        () -> ProxyScorer.builder(TINY, Proxies.byNames(List.of("snip"))).build());
    assertThrows(IllegalArgumentException.class, () -> ProxyScorer.builder(TINY, List.of()));
  }

  @Test
  void manyArchsInARowLeaveNoArrayOpen(NDManager m) {
    ProxyScorer s = scorer(0);
    List<Arch> archs = new ArrayList<>(Nb201Space.full().sample(12, 5));
    for (Arch a : archs) {
      s.score(m, a);
      assertEquals(0, m.getManagedArrays().size(), "arrays left open after " + a);
    }
  }
}
