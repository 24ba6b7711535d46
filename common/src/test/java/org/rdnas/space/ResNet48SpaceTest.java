package org.rdnas.space;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.rdnas.testing.SharedData;

/** Codes, ids, widths, distance and sampling of the CVPR 2022 Track 1 ResNet space. */
class ResNet48SpaceTest {
  static final String ARCH1 = "1252233313000000223212122253130000000000006515000000";
  static final ResNet48Space SPACE = ResNet48Space.of(32, 10);

  @Test
  void challengeCodesRoundTripThroughIdsOnTheRealCsv() throws IOException {
    Path csv = SharedData.require("resnet48/track1_test_archs.csv");
    List<String> lines = Files.readAllLines(csv);
    Set<Long> ids = new HashSet<>();
    int rows = Math.min(lines.size() - 1, 5_000);
    for (int i = 1; i <= rows; i++) {
      String code = lines.get(i).substring(lines.get(i).indexOf(',') + 1);
      long id = SPACE.parse(code);
      assertTrue(SPACE.contains(id));
      assertEquals(code, SPACE.format(id), "line " + (i + 1));
      ids.add(id);
    }
    assertEquals(rows, ids.size(), "distinct codes have distinct ids");
    try (BufferedReader r = Files.newBufferedReader(csv)) {
      List<Long> all = ResNet48Space.readCsv(r, csv.toString());
      assertEquals(45_000, all.size());
      assertEquals(SPACE.parse(ARCH1), all.get(0));
    }
  }

  @Test
  void generatedCodesRoundTripAndIdsCoverTheSpaceExactly() {
    assertEquals(3L * 3 * 5 * 7 * 360 * 360 * 488_275 * 19_600, SPACE.size());
    for (long id : new long[] {0, 1, SPACE.size() / 3, SPACE.size() - 1}) {
      assertEquals(id, SPACE.parse(SPACE.format(id)));
    }
    SplittableRandom rng = new SplittableRandom(7);
    for (int i = 0; i < 2_000; i++) {
      long id = rng.nextLong(SPACE.size());
      String code = SPACE.format(id);
      assertEquals(id, SPACE.parse(code), code);
      assertEquals(code, ResNet48Arch.parse(code).toString());
    }
    long[] s = SPACE.sample(300, 5);
    assertArrayEquals(s, SPACE.sample(300, 5));
    assertEquals(300, new HashSet<>(java.util.Arrays.stream(s).boxed().toList()).size());
    for (long id : s) {
      assertEquals(id, SPACE.parse(SPACE.format(id)));
    }
    assertThrows(IllegalArgumentException.class, () -> SPACE.format(SPACE.size()));
  }

  @Test
  void widthsFollowTheAuthorsRatiosAndRounding() {
    int[][] expected = {{64, 64, 56}, {128, 120, 112}, {256, 240, 232, 216, 208},
        {512, 488, 464, 432, 408, 384, 360}};
    for (int s = 0; s < 4; s++) {
      for (int k = 1; k <= ResNet48Arch.maxIndex(s); k++) {
        assertEquals(expected[s][k - 1], ResNet48Arch.channels(ResNet48Arch.STAGE_BASE[s], k, 1));
      }
    }
    ResNet48Arch a = ResNet48Arch.parse(ARCH1);
    assertEquals(2, a.depth(0));
    assertEquals(5, a.depth(1));
    assertEquals(56, a.stemChannels());
    assertEquals(56, a.outChannels(0));
    assertEquals(64, a.midChannels(0, 1));
    assertEquals(120, a.outChannels(1));
    assertEquals(232, a.outChannels(2));
    assertEquals(384, a.midChannels(3, 0));
    assertEquals(512, a.midChannels(3, 1));
    assertEquals(408, a.outChannels(3));
  }

  @Test
  void malformedCodesAreRefusedNamingTheCodeAndTheReason() {
    String[][] cases = {
        {"12522", "has 5 characters"},
        {ARCH1.replace('6', 'x'), "is not a digit"},
        {"2" + ARCH1.substring(1), "resolution index 2"},
        {ARCH1.substring(0, 1) + "9" + ARCH1.substring(2), "stage 1 depth 9"},
        {ARCH1.substring(0, 10) + "11" + ARCH1.substring(12), "is beyond the stage's depth"},
        {ARCH1.substring(0, 6) + "43" + ARCH1.substring(8), "width index 4 is not in 1..3"},
        {ARCH1.substring(0, 8) + "12" + ARCH1.substring(10), "differs from the stage's 3"},
        {ARCH1.substring(0, 5) + "2" + ARCH1.substring(6), "stem width index 2 differs"},
    };
    for (String[] c : cases) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> SPACE.parse(c[0]),
          c[0]);
      assertTrue(e.getMessage().contains("'" + c[0] + "'") && e.getMessage().contains(c[1]),
          e.getMessage());
    }
  }

  @Test
  void readCsvNamesTheFileAndLineOfABadCode() {
    String csv = "name,arch\narch1," + ARCH1 + "\narch2,123\n";
    IOException e = assertThrows(IOException.class,
        () -> ResNet48Space.readCsv(new BufferedReader(new StringReader(csv)), "t.csv"));
    assertTrue(e.getMessage().startsWith("t.csv line 3: malformed ResNet48 code '123'"), e.getMessage());
  }

  @Test
  void hammingDistanceComparesTheWidthDigitsAsTheAuthorsCodeDoes() {
    long a = SPACE.parse(ARCH1);
    assertEquals(0, SPACE.distance(a, a));
    String other = "1447233323333300331313230025153545153545003252000000";
    int d = 0;
    for (int i = 5; i < 52; i++) {
      d += ARCH1.charAt(i) != other.charAt(i) ? 1 : 0;
    }
    assertEquals(d, SPACE.distance(a, SPACE.parse(other)));
    assertEquals(33, SPACE.distanceThreshold());
  }
}
