package org.rdnas.scoring;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rdnas.config.CandidatesConfig;
import org.rdnas.config.CandidatesConfig.Mode;
import org.rdnas.config.SpaceConfig;
import org.rdnas.io.InputException;
import org.rdnas.space.Arch;
import org.rdnas.space.Nb201Space;
import org.rdnas.space.ResNet48Space;
import org.rdnas.space.SearchSpace;

/** Job 1's candidate sets through the space plug-in: NAS-Bench-201 as before, ResNet48 codes. */
class CandidatesTest {
  static final Configuration CONF = new Configuration();
  static final SearchSpace RESNET = new SpaceConfig(SpaceConfig.Name.RESNET48, null, 8, 1, 32)
      .searchSpace();
  static final SearchSpace NB201 = new SpaceConfig(SpaceConfig.Name.NB201, null, 8, 1).searchSpace();

  @TempDir Path tmp;

  private static CandidatesConfig config(Mode mode, int n, long seed, Path file) {
    return new CandidatesConfig(mode, n, seed, file == null ? "" : file.toString());
  }

  @Test
  void nb201CandidatesAreTheSpacesAsBefore() {
    long[] all = Candidates.resolve(config(Mode.ALL, 1, 0, null), NB201, CONF).ids();
    assertArrayEquals(Nb201Space.full().stream().mapToLong(Arch::id).sorted().toArray(), all);
    long[] sample = Candidates.resolve(config(Mode.SAMPLE, 30, 5, null), NB201, CONF).ids();
    assertArrayEquals(Nb201Space.full().sample(30, 5).stream().mapToLong(Arch::id).sorted()
        .toArray(), sample);
  }

  @Test
  void allIsRefusedForASpaceTooLargeToListNamingTheKey() {
    InputException e = assertThrows(InputException.class,
        () -> Candidates.resolve(config(Mode.ALL, 1, 0, null), RESNET, CONF));
    assertTrue(e.getMessage().contains("rdnas.candidates.mode = all")
        && e.getMessage().contains(Long.toString(RESNET.size())), e.getMessage());
  }

  @Test
  void theChallengeCsvAndPlainCodesReadAsIdsWithDuplicatesCollapsed() throws IOException {
    long[] drawn = RESNET.sample(6, 1);
    List<String> lines = new ArrayList<>(List.of("name,arch"));
    for (int i = 0; i < drawn.length; i++) {
      lines.add("arch" + (i + 1) + "," + RESNET.format(drawn[i]));
    }
    lines.add("arch7," + RESNET.format(drawn[0]));
    Path csv = Files.write(tmp.resolve("archs.csv"), lines);
    Candidates c = Candidates.resolve(config(Mode.FILE, 1, 0, csv), RESNET, CONF);
    long[] want = drawn.clone();
    Arrays.sort(want);
    assertArrayEquals(want, c.ids());
    assertTrue(c.description().contains("1 duplicate"), c.description());

    Path plain = Files.write(tmp.resolve("codes.txt"),
        List.of("# codes", RESNET.format(drawn[2]), "", RESNET.format(drawn[3])));
    long[] two = Candidates.resolve(config(Mode.FILE, 1, 0, plain), RESNET, CONF).ids();
    assertEquals(2, two.length);
    assertTrue(Arrays.stream(two).allMatch(id -> id == drawn[2] || id == drawn[3]));
  }

  @Test
  void aFileSampleIsSeededSortedAndWithinTheFile() throws IOException {
    long[] drawn = RESNET.sample(20, 2);
    List<String> lines = new ArrayList<>(List.of("name,arch"));
    for (long id : drawn) {
      lines.add("a," + RESNET.format(id));
    }
    Path csv = Files.write(tmp.resolve("archs.csv"), lines);
    long[] a = Candidates.resolve(config(Mode.FILE_SAMPLE, 5, 9, csv), RESNET, CONF).ids();
    long[] b = Candidates.resolve(config(Mode.FILE_SAMPLE, 5, 9, csv), RESNET, CONF).ids();
    long[] other = Candidates.resolve(config(Mode.FILE_SAMPLE, 5, 10, csv), RESNET, CONF).ids();
    assertArrayEquals(a, b);
    assertFalse(Arrays.equals(a, other));
    assertEquals(5, Arrays.stream(a).distinct().count());
    assertTrue(Arrays.stream(a).allMatch(id -> Arrays.stream(drawn).anyMatch(d -> d == id)));
    for (int i = 1; i < a.length; i++) {
      assertTrue(a[i - 1] < a[i]);
    }
    InputException e = assertThrows(InputException.class,
        () -> Candidates.resolve(config(Mode.FILE_SAMPLE, 21, 9, csv), RESNET, CONF));
    assertTrue(e.getMessage().contains("rdnas.candidates.sample-size = 21"), e.getMessage());
  }

  @Test
  void malformedCodesAreRefusedWithEveryLineNumber() throws IOException {
    String good = RESNET.format(RESNET.sample(1, 3)[0]);
    Path csv = Files.write(tmp.resolve("bad.csv"), List.of("name,arch", "a1," + good,
        "a2,12522333130000002232121222531300000000000065150000", "a3," + good.replace('1', 'x')));
    InputException e = assertThrows(InputException.class,
        () -> Candidates.resolve(config(Mode.FILE, 1, 0, csv), RESNET, CONF));
    assertTrue(e.getMessage().contains("2 malformed line(s)"), e.getMessage());
    assertTrue(e.getMessage().contains("line 3:") && e.getMessage().contains("line 4:"),
        e.getMessage());
  }

  @Test
  void theSharedChallengeFileHas45000DistinctCodes() {
    Path csv = Path.of(System.getProperty("rdnas.shared.data", "../../shared/data"), "resnet48",
        "track1_test_archs.csv");
    org.junit.jupiter.api.Assumptions.assumeTrue(Files.isReadable(csv), "no " + csv);
    Candidates c = Candidates.resolve(config(Mode.FILE, 1, 0, csv), RESNET, CONF);
    assertEquals(45_000, c.size());
  }
}
