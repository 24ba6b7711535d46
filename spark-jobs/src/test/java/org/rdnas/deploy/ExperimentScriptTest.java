package org.rdnas.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code deploy/experiments/rdnas-vs-spos --dry-run}: the job 2 commands each arm runs. */
class ExperimentScriptTest {
  private static final String SCRIPT = "deploy/experiments/rdnas-vs-spos";
  private static final Pattern JOB2 = Pattern.compile(
      "output\\.path=\\S*/runs/(\\S+)/seed-(\\d+) .*train\\.epochs=(\\d+) train\\.eval-every=(\\d+)");

  private static Repo.Result dryRun(Path dir, String arms) throws IOException {
    Path truth = Files.writeString(dir.resolve("truth.csv"), "arch_str,valid_test_acc\n");
    Path data = Files.write(dir.resolve("test_batch.bin"), new byte[3073]);
    return Repo.run(Map.of(), List.of("bash", SCRIPT, "--dry-run", "--out",
        dir.resolve("exp").toString(), "--data", data.toString(), "--ground-truth", truth.toString(), "--seeds", "0 3",
        "--arms", arms));
  }

  @Test
  void budgetArmsTrainKTimesTheEpochsAndEvaluateKTimesLessOften(@TempDir Path dir)
      throws IOException {
    Repo.Result r = dryRun(dir, "spos rdnas-flops spos-2x rdnas-flops-3x spos-6x rdnas-flops-12x");
    assertEquals(0, r.status(), r.output());
    Map<String, Integer> multiple = Map.of("spos", 1, "rdnas-flops", 1, "spos-2x", 2,
        "rdnas-flops-3x", 3, "spos-6x", 6, "rdnas-flops-12x", 12);
    int runs = 0;
    for (String line : r.output().split("\n")) {
      Matcher m = JOB2.matcher(line);
      if (!m.find()) {
        continue;
      }
      int k = multiple.get(m.group(1));
      assertEquals(5 * k, Integer.parseInt(m.group(3)), line);
      assertEquals(2 * k, Integer.parseInt(m.group(4)), line);
      // printf %q quotes the brackets.
      String mode = m.group(1).startsWith("spos") ? "train.mode=spos "
          : "train.mode=rdnas distill.teacher=\\[flops\\] ";
      assertTrue(line.contains(mode), line);
      runs++;
    }
    assertEquals(12, runs, r.output()); // 6 arms x 2 seeds
    assertTrue(Files.notExists(dir.resolve("exp")), "a dry run writes nothing");
  }

  @Test
  void anUnknownArmIsRefusedByName(@TempDir Path dir) throws IOException {
    for (String arm : List.of("spos-1x", "spos-100x", "rdnas-naswot-2x", "spos-x")) {
      Repo.Result r = dryRun(dir, "spos " + arm);
      assertEquals(2, r.status(), arm + ": " + r.output());
      assertTrue(r.output().contains("unknown arm '" + arm + "'"), r.output());
    }
  }
}
