package org.rdnas.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.rdnas.data.BatchAssembler;
import org.rdnas.data.SyntheticImages;
import org.rdnas.nn.CellConvention;
import org.rdnas.nn.Nb201Network;
import org.rdnas.nn.NetworkConfig;
import org.rdnas.space.Arch;

/**
 * Scores the same archs many times on several threads of one JVM at once (as Spark runs several
 * scoring tasks per executor), with a thread that keeps the garbage collector busy, and asserts
 * every value bit-identical to a one-thread run. Under load this found GraSP at 1.4e-14 instead of
 * 0.03 once in a few hundred scorings: DJL's scalar operands freed before the backward pass read
 * them ({@link org.rdnas.nn.Autograd}). Sizes: {@code -Drdnas.stress.threads}, {@code .rounds},
 * {@code .archs} (defaults fit CI; the figures in the README come from larger runs).
 */
class ConcurrentScoringStressTest {
  private static final Nb201Network TINY =
      Nb201Network.of(new NetworkConfig(4, 1, 3, 10, CellConvention.SEARCH));
  private static final BatchAssembler DATA =
      BatchAssembler.standard(SyntheticImages.standard().generate(512, 1));
  private static final List<String> PROXIES = List.of(
      "synflow", "snip", "grasp", "fisher", "grad_norm", "jacob_cov", "naswot", "zen", "flops", "params");

  private static ProxyScorer scorer() {
    return ProxyScorer.builder(TINY, Proxies.byNames(PROXIES)).optData(DATA).optBatchSize(32)
        .optSeed(11).build();
  }

  @Test
  void concurrentScoringIsBitIdenticalToOneThread() throws Exception {
    int threads = Integer.getInteger("rdnas.stress.threads", 4);
    int rounds = Integer.getInteger("rdnas.stress.rounds", 1);
    int archCount = Integer.getInteger("rdnas.stress.archs", 10);
    Random r = new Random(3);
    List<Arch> archs = new ArrayList<>();
    while (archs.size() < archCount) {
      Arch a = Arch.fromId(r.nextInt(Arch.ID_COUNT));
      if (!archs.contains(a)) {
        archs.add(a);
      }
    }
    Map<Arch, List<ProxyScore>> alone = new HashMap<>();
    try (NDManager m = NDManager.newBaseManager()) {
      ProxyScorer s = scorer();
      for (Arch a : archs) {
        alone.put(a, s.score(m, a));
      }
    }

    AtomicBoolean stop = new AtomicBoolean();
    Thread collector = new Thread(() -> {
      while (!stop.get()) {
        System.gc();
        try {
          Thread.sleep(2);
        } catch (InterruptedException e) {
          return;
        }
      }
    }, "gc-churn");
    collector.start();
    ConcurrentLinkedQueue<String> differences = new ConcurrentLinkedQueue<>();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      List<Future<Integer>> done = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        long seed = t;
        done.add(pool.submit(() -> {
          int scored = 0;
          List<Arch> order = new ArrayList<>(archs);
          try (NDManager m = NDManager.newBaseManager()) {
            ProxyScorer s = scorer();
            for (int k = 0; k < rounds; k++) {
              Collections.shuffle(order, new Random(seed * 1000 + k));
              for (Arch a : order) {
                List<ProxyScore> got = s.score(m, a);
                for (int p = 0; p < got.size(); p++) {
                  ProxyScore want = alone.get(a).get(p);
                  ProxyScore g = got.get(p);
                  if (want.ok() != g.ok() || Double.doubleToLongBits(want.value())
                      != Double.doubleToLongBits(g.value())) {
                    differences.add(a + " " + g.proxy() + ": alone " + want.value() + " ("
                        + (want.ok() ? "ok" : want.error()) + "), concurrent " + g.value() + " ("
                        + (g.ok() ? "ok" : g.error()) + ")");
                  }
                }
                scored++;
              }
            }
          }
          return scored;
        }));
      }
      int total = 0;
      for (Future<Integer> f : done) {
        total += f.get();
      }
      assertEquals(threads * rounds * archCount, total);
    } finally {
      stop.set(true);
      pool.shutdown();
      collector.join();
    }
    assertTrue(differences.isEmpty(), differences.size() + " values differ from a one-thread run:\n"
        + String.join("\n", differences));
  }
}
