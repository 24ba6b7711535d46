package org.rdnas.space;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class Nb201SpaceTest {
  static final String IDX0 =
      "|avg_pool_3x3~0|+|nor_conv_1x1~0|skip_connect~1|+|nor_conv_1x1~0|skip_connect~1|skip_connect~2|";

  @Test
  void parseAndFormatRoundTripForEveryArch() {
    Set<String> seen = new HashSet<>();
    Nb201Space.full().stream().forEach(a -> {
      String s = a.toString();
      assertEquals(a, Arch.parse(s));
      assertEquals(a, Arch.fromId(a.id()));
      seen.add(s);
    });
    assertEquals(15_625, seen.size());
  }

  @Test
  void parsesTheBenchmarkString() {
    Arch a = Arch.parse(IDX0);
    assertEquals(Op.AVG_POOL_3X3, a.op(0));
    assertEquals(Op.NOR_CONV_1X1, a.op(1));
    assertEquals(Op.SKIP_CONNECT, a.op(5));
    assertEquals(IDX0, a.toString());
  }

  @Test
  void malformedStringsAreRejectedWithTheReason() {
    assertMessage("|nor_conv_3x3~0|+|none~0|none~1|", "expected 3 node groups");
    assertMessage("|conv~0|+|none~0|none~1|+|none~0|none~1|none~2|", "unknown op 'conv'");
    assertMessage("|none~1|+|none~0|none~1|+|none~0|none~1|none~2|", "must come from node 0");
    assertMessage("|none~0|+|none~0|+|none~0|none~1|none~2|", "must have 2 incoming");
    assertMessage("none~0|+|none~0|none~1|+|none~0|none~1|none~2|", "must start and end with '|'");
    assertMessage("|none0|+|none~0|none~1|+|none~0|none~1|none~2|", "op~source");
    assertThrows(IllegalArgumentException.class, () -> Arch.parse(null));
  }

  private static void assertMessage(String s, String part) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Arch.parse(s));
    assertTrue(e.getMessage().contains(part), e.getMessage());
    assertTrue(e.getMessage().contains(s), "message names the input: " + e.getMessage());
  }

  @Test
  void spacesHaveTheirSizesAndEnumerateBijectively() {
    assertEquals(15_625, Nb201Space.full().size());
    Nb201Space four = Nb201Space.withoutNone();
    assertEquals(4_096, four.size());
    Set<Integer> ids = new HashSet<>();
    for (int i = 0; i < four.size(); i++) {
      Arch a = four.archAt(i);
      assertEquals(0, a.count(Op.NONE));
      assertEquals(i, four.indexOf(a));
      ids.add(a.id());
    }
    assertEquals(4_096, ids.size());
    assertFalse(four.contains(Arch.fromId(0)));
    assertThrows(IllegalArgumentException.class, () -> four.indexOf(Arch.fromId(0)));
    assertEquals(four.size(), Nb201Space.named("nb201-no-none").size());
    assertThrows(IllegalArgumentException.class, () -> Nb201Space.named("nb101"));
  }

  @Test
  void seededSamplingIsDistinctReproducibleAndUniform() {
    Nb201Space s = Nb201Space.full();
    List<Arch> a = s.sample(500, 7);
    assertEquals(a, s.sample(500, 7));
    assertNotEquals(a, s.sample(500, 8));
    assertEquals(500, new HashSet<>(a).size());
    assertEquals(15_625, new HashSet<>(s.sample(15_625, 1)).size());
    assertThrows(IllegalArgumentException.class, () -> s.sample(15_626, 1));
    // Uniformity: over many draws of one arch each, every op appears on edge 0 about 1/5 of the time.
    int[] counts = new int[5];
    SplittableRandom rng = new SplittableRandom(3);
    for (int i = 0; i < 50_000; i++) {
      counts[s.sampleOne(rng).op(0).code()]++;
    }
    for (int c : counts) {
      assertEquals(10_000, c, 400);
    }
  }

  @Test
  void canonicalFormRemovesDeadOps() {
    // Node 1 is fed by none, so its outgoing conv is dead; node 2 feeds nothing, so 0->2 is dead.
    Arch a = Arch.parse("|none~0|+|nor_conv_3x3~0|nor_conv_1x1~1|+|skip_connect~0|avg_pool_3x3~1|none~2|");
    assertEquals("|none~0|+|none~0|none~1|+|skip_connect~0|none~1|none~2|",
        Nb201Space.canonical(a).toString());
    Arch disconnected = Arch.parse("|nor_conv_3x3~0|+|none~0|none~1|+|none~0|none~1|avg_pool_3x3~2|");
    assertTrue(Nb201Space.isDisconnected(disconnected));
    assertEquals(0, Nb201Space.canonical(disconnected).id());
    Arch full = Arch.parse(IDX0);
    assertEquals(full, Nb201Space.canonical(full));
  }

  @Test
  void groupDistanceFollowsTheAuthorsTable() {
    Arch a = Arch.parse(IDX0);
    assertEquals(0, Nb201Space.groupDistance(a, a));
    assertEquals(0.5, Nb201Space.groupDistance(a, a.with(1, Op.NOR_CONV_3X3)));
    assertEquals(2.0, Nb201Space.groupDistance(a, a.with(1, Op.SKIP_CONNECT)));
    assertEquals(2.0, Nb201Space.groupDistance(a, a.with(1, Op.NONE)));
    assertEquals(0.5, Nb201Space.groupDistance(a, a.with(0, Op.SKIP_CONNECT)));
    // Mean over all pairs of the four-op space is 6.75 (DESIGN.md).
    Nb201Space four = Nb201Space.withoutNone();
    double sum = 0;
    for (int i = 0; i < four.size(); i += 7) {
      for (int j = 0; j < four.size(); j++) {
        sum += Nb201Space.groupDistance(four.archAt(i), four.archAt(j));
      }
    }
    int rows = (four.size() + 6) / 7;
    assertEquals(6.75, sum / ((double) rows * four.size()), 0.05);
  }
}
