package org.rdnas.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.rdnas.config.SpaceConfig;
import org.rdnas.space.Arch;
import org.rdnas.space.Nb201Space;
import org.rdnas.space.Op;
import org.rdnas.space.ResNet48Space;
import org.rdnas.space.SearchSpace;

class MarginPairSamplerTest {
  static final SearchSpace NB201 =
      new SpaceConfig(SpaceConfig.Name.NB201, null, 8, 1).searchSpace();

  /** A teacher over {@code archs}, all ok, scored by their id (higher id preferred). */
  static Teacher teacher(List<Arch> archs) {
    double[] score = archs.stream().mapToDouble(Arch::id).toArray();
    boolean[] ok = new boolean[archs.size()];
    java.util.Arrays.fill(ok, true);
    return Teacher.of(RankingTable.of(archs, ok, Map.of("flops", score)), List.of("flops"));
  }

  static Arch all(Op op) {
    return Arch.of(op, op, op, op, op, op);
  }

  @Test
  void pairsAreFarEnoughReproducibleAndPreferenceFollowsTheTeacher() {
    List<Arch> archs = Nb201Space.withoutNone().sample(300, 5);
    Teacher t = teacher(archs);
    MarginPairSampler s = MarginPairSampler.create(t, NB201, 6.7, 42);
    MarginPairSampler again = MarginPairSampler.create(t, NB201, 6.7, 42);
    MarginPairSampler other = MarginPairSampler.create(t, NB201, 6.7, 43);
    int differ = 0;
    for (long step = 0; step < 500; step++) {
      MarginPairSampler.Pair p = s.sample(step);
      assertTrue(p.distance() >= 6.7, p.toString());
      assertEquals(Nb201Space.groupDistance(Arch.fromId(p.a()), Arch.fromId(p.b())), p.distance());
      assertNotEquals(p.rowA(), p.rowB());
      assertEquals(p.a() < p.b() ? Preference.B : Preference.A, p.preferred());
      assertEquals(p, again.sample(step));
      assertEquals(p, s.sample(step), "stateless: the same step draws the same pair");
      if (!p.equals(other.sample(step))) {
        differ++;
      }
    }
    assertTrue(differ > 450, "another seed draws other pairs: " + differ);
    assertNotEquals(s.sample(0), s.sample(1));
  }

  @Test
  void farthestDistanceMatchesTheAllPairsScan() {
    List<Arch> archs = Nb201Space.full().sample(40, 9);
    Teacher t = teacher(archs);
    double[] farthest = MarginPairSampler.farthestDistance(t.table(), t.eligibleRows());
    for (int id = 0; id < Arch.ID_COUNT; id += 7) {
      Arch x = Arch.fromId(id);
      double max = archs.stream().mapToDouble(a -> Nb201Space.groupDistance(x, a)).max().orElseThrow();
      assertEquals(max, farthest[id], 0, x.toString());
    }
  }

  @Test
  void aIsUniformAndBIsUniformAmongThePartners() {
    // X is 12 from both Y and Z; Y and Z are 3 apart: a is any of the three, b | a=X is Y or Z.
    Arch x = all(Op.NOR_CONV_3X3);
    Arch y = all(Op.SKIP_CONNECT);
    Arch z = all(Op.AVG_POOL_3X3);
    MarginPairSampler s = MarginPairSampler.create(teacher(List.of(x, y, z)), NB201, 6.7, 1);
    Map<Arch, Integer> countA = new HashMap<>();
    Map<Arch, Integer> countBGivenX = new HashMap<>();
    int n = 6000;
    for (long step = 0; step < n; step++) {
      MarginPairSampler.Pair p = s.sample(step);
      countA.merge(Arch.fromId(p.a()), 1, Integer::sum);
      if (p.a() == x.id()) {
        countBGivenX.merge(Arch.fromId(p.b()), 1, Integer::sum);
      } else {
        assertEquals(x.id(), p.b());
      }
    }
    for (Arch a : List.of(x, y, z)) {
      assertEquals(n / 3.0, countA.get(a), 5 * Math.sqrt(n * (1.0 / 3) * (2.0 / 3)), a.toString());
    }
    int nx = countA.get(x);
    assertEquals(nx / 2.0, countBGivenX.get(y), 5 * Math.sqrt(nx / 4.0));
  }

  @Test
  void rarePartnersAreFoundByTheExactFallback() {
    // 64 conv-only archs are at most 3 apart; the one all-skip arch is 12 from each of them.
    List<Arch> archs = new ArrayList<>();
    for (int bits = 0; bits < 64; bits++) {
      Op[] ops = new Op[Arch.EDGES];
      for (int e = 0; e < Arch.EDGES; e++) {
        ops[e] = (bits >> e & 1) == 1 ? Op.NOR_CONV_3X3 : Op.NOR_CONV_1X1;
      }
      archs.add(Arch.of(ops));
    }
    archs.add(all(Op.SKIP_CONNECT));
    MarginPairSampler s = MarginPairSampler.create(teacher(archs), NB201, 6.7, 3);
    assertEquals(65, s.anchorCount());
    for (long step = 0; step < 300; step++) {
      MarginPairSampler.Pair p = s.sample(step);
      long skip = all(Op.SKIP_CONNECT).id();
      assertTrue(p.a() == skip ^ p.b() == skip, p.toString());
      assertEquals(12.0, p.distance());
    }
  }

  @Test
  void anchorsWithoutPartnersAreNeverDrawn() {
    Arch x = all(Op.NOR_CONV_3X3);
    Arch y = all(Op.SKIP_CONNECT);
    Arch near = x.with(0, Op.NOR_CONV_1X1).with(1, Op.AVG_POOL_3X3); // 2.5 from x, 10.5 from y
    Arch lonely = x.with(0, Op.NOR_CONV_1X1); // 0.5 from x, 2 from near, 12 from y
    // None of x, near, lonely is 6.7 from another: an error, not an endless loop.
    assertThrows(IllegalArgumentException.class,
        () -> MarginPairSampler.create(teacher(List.of(x, near, lonely)), NB201, 6.7, 1));
    MarginPairSampler s = MarginPairSampler.create(teacher(List.of(x, near, lonely, y)), NB201, 11.0, 1);
    assertEquals(3, s.anchorCount(), "near is 10.5 from y: no partner at 11");
    for (long step = 0; step < 200; step++) {
      MarginPairSampler.Pair p = s.sample(step);
      assertNotEquals(near.id(), p.a());
      assertNotEquals(near.id(), p.b());
      assertTrue(p.distance() >= 11);
    }
  }

  @Test
  void tablesTooSmallOrTooUniformFailBeforeTraining() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> MarginPairSampler.create(teacher(List.of(all(Op.NOR_CONV_3X3))), NB201, 6.7, 1));
    assertTrue(e.getMessage().contains("at least 2 eligible rows"), e.getMessage());
    List<Arch> convOnly = new ArrayList<>();
    for (int bits = 0; bits < 64; bits++) {
      Op[] ops = new Op[Arch.EDGES];
      for (int k = 0; k < Arch.EDGES; k++) {
        ops[k] = (bits >> k & 1) == 1 ? Op.NOR_CONV_3X3 : Op.NOR_CONV_1X1;
      }
      convOnly.add(Arch.of(ops));
    }
    e = assertThrows(IllegalArgumentException.class,
        () -> MarginPairSampler.create(teacher(convOnly), NB201, 6.7, 1));
    assertTrue(e.getMessage().contains("the largest is 3.0"), e.getMessage());
    // Far-apart rows that failed scoring do not count.
    Map<String, double[]> cols = Map.of("flops", new double[] {1, 2});
    Teacher failed = Teacher.of(RankingTable.of(List.of(all(Op.NOR_CONV_3X3), all(Op.SKIP_CONNECT)),
        new boolean[] {true, false}, cols), List.of("flops"));
    assertThrows(IllegalArgumentException.class, () -> MarginPairSampler.create(failed, NB201, 6.7, 1));
    assertThrows(IllegalArgumentException.class,
        () -> MarginPairSampler.create(teacher(convOnly), NB201, 12.5, 1));
    // Threshold 0: any two distinct rows pair up.
    MarginPairSampler zero = MarginPairSampler.create(teacher(convOnly.subList(0, 2)), NB201, 0, 1);
    assertEquals(2, zero.anchorCount());
    assertNotEquals(zero.sample(5).rowA(), zero.sample(5).rowB());
  }

  @Test
  void inAnotherSpaceAIsUniformAmongRowsWithAPartnerAndPairsKeepTheSpacesDistance() {
    ResNet48Space space = ResNet48Space.of(32, 10);
    long[] ids = space.sample(40, 3);
    boolean[] ok = new boolean[ids.length];
    java.util.Arrays.fill(ok, true);
    double[] score = java.util.Arrays.stream(ids).mapToDouble(id -> id % 1000).toArray();
    Teacher t = Teacher.of(RankingTable.ofArchIds(ids, ok, Map.of("flops", score)), List.of("flops"));
    MarginPairSampler s = MarginPairSampler.create(t, space, 20, 7);
    MarginPairSampler again = MarginPairSampler.create(t, space, 20, 7);
    for (long step = 0; step < 200; step++) {
      MarginPairSampler.Pair p = s.sample(step);
      assertEquals(space.distance(p.a(), p.b()), p.distance());
      assertTrue(p.distance() >= 20, p.toString());
      assertEquals(p, again.sample(step));
    }
    // Hamming distance is at most 47 (the width digits): a threshold above it has no pair.
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> MarginPairSampler.create(t, space, 48, 7));
    assertTrue(e.getMessage().contains("resnet48 distance >= 48"), e.getMessage());
    // x and y at distance d; z takes stages 1-2 from x and stages 3-4 from y, so it is nearer
    // than d to both: at threshold d, z has no partner and is never drawn, x and y pair up.
    String x = space.format(ids[0]);
    String y = space.format(ids[1]);
    long z = space.parse(x.substring(0, 3) + y.substring(3, 5) + x.substring(5, 26)
        + y.substring(26));
    double d = space.distance(ids[0], ids[1]);
    assertTrue(space.distance(z, ids[0]) < d && space.distance(z, ids[1]) < d);
    Teacher three = Teacher.of(RankingTable.ofArchIds(new long[] {ids[0], z, ids[1]},
        new boolean[] {true, true, true}, Map.of("flops", new double[] {1, 3, 2})),
        List.of("flops"));
    MarginPairSampler pair = MarginPairSampler.create(three, space, d, 1);
    int first = 0;
    for (long step = 0; step < 400; step++) {
      MarginPairSampler.Pair p = pair.sample(step);
      assertTrue(p.a() != z && p.b() != z, p.toString());
      first += p.a() == ids[0] ? 1 : 0;
      assertEquals(p.a() == ids[0] ? Preference.B : Preference.A, p.preferred());
    }
    assertEquals(200, first, 5 * Math.sqrt(100));
  }
}
