package org.rdnas.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * deploy/pipeline/rdnas-pipeline end to end against a fake spark-submit that records its
 * arguments and writes what each job would: a first run runs every step, a second skips them all,
 * a failed step exits non-zero and the next run resumes it, and two runs never overlap.
 */
class PipelineScriptTest {
  private static final String DS = "2026-03-04";
  // Creates the outputs a job leaves; FAKE_FAIL=scoring|train fails that job half-way.
  private static final String FAKE_SUBMIT = """
      #!/usr/bin/env bash
      set -euo pipefail
      printf '%s\\n' "$*" >>"$FAKE_LOG"
      out="" cls="" prev=""
      for a in "$@"; do
        case "$a" in output.path=*) out="${a#output.path=}" ;; esac
        if [[ "$prev" == --class ]]; then cls="$a"; fi
        prev="$a"
      done
      case "$cls" in
        *ProxyScoringJob)
          mkdir -p "$out/.ranking-parts"
          if [[ "${FAKE_FAIL:-}" == scoring ]]; then exit 3; fi
          mkdir -p "$out/ranking" "$out/report/proxy-scoring"
          echo '{"proxies":{}}' >"$out/correlation.json"
          echo '<html>' >"$out/report/proxy-scoring/index.html" ;;
        *DistillTrainJob)
          mkdir -p "$out/checkpoints"
          if [[ "${FAKE_FAIL:-}" == train ]]; then exit 4; fi
          echo '{"kendall_tau":0.5}' >"$out/summary.json" ;;
      esac
      """;

  @TempDir Path tmp;

  private Map<String, String> env() throws IOException {
    Path fake = tmp.resolve("fake-spark-submit");
    Files.writeString(fake, FAKE_SUBMIT);
    assertTrue(fake.toFile().setExecutable(true));
    Path flags = tmp.resolve("jvm-flags");
    Files.writeString(flags, Repo.pomProperty("rdnas.jvm.flags"));
    Map<String, String> env = new HashMap<>();
    env.put("RDNAS_SPARK_SUBMIT", fake.toString());
    env.put("FAKE_LOG", tmp.resolve("calls").toString());
    env.put("RDNAS_JVM_FLAGS_FILE", flags.toString());
    env.put("RDNAS_TARGET", "standalone");
    env.put("RDNAS_MASTER", "spark://master:7077");
    env.put("RDNAS_SPARK_SECRET", "test-secret");
    env.put("RDNAS_EVENT_LOG_DIR", "file:" + tmp.resolve("events"));
    env.put("RDNAS_RUNS", tmp.resolve("runs").toString());
    env.put("RDNAS_LOCK", tmp.resolve("lock").toString());
    env.put("RDNAS_TRAIN_ARGS", "train.epochs=2");
    env.put("TMPDIR", tmp.toString());
    return env;
  }

  private List<String> calls() throws IOException {
    Path log = tmp.resolve("calls");
    return Files.exists(log) ? Files.readAllLines(log) : List.of();
  }

  private Repo.Result pipeline(Map<String, String> env) {
    return Repo.run(env, List.of("deploy/pipeline/rdnas-pipeline", DS));
  }

  @Test
  void runsOnceSkipsOnRerunAndResumesAfterAFailure() throws IOException {
    Map<String, String> env = env();
    env.put("FAKE_FAIL", "train");
    Repo.Result first = pipeline(env);
    assertEquals(4, first.status(), "a failed job fails the run:\n" + first.output());
    assertEquals(2, calls().size());
    assertTrue(calls().get(0).contains("org.rdnas.spark.ProxyScoringJob"));
    assertTrue(calls().get(0).contains("output.path=" + tmp.resolve("runs/" + DS)));
    assertFalse(calls().get(0).contains("scoring.resume=true"));
    assertTrue(calls().get(1).contains("org.rdnas.spark.DistillTrainJob"));
    assertTrue(calls().get(1).contains("train.epochs=2"));
    assertFalse(calls().get(1).contains("train.resume=true"));
    assertFalse(Files.exists(tmp.resolve("runs/_reports/" + DS)));

    env.remove("FAKE_FAIL");
    Repo.Result second = pipeline(env);
    assertEquals(0, second.status(), second.output());
    assertEquals(3, calls().size(), "job 1 is done, job 2 resumes:\n" + second.output());
    assertTrue(calls().get(2).contains("org.rdnas.spark.DistillTrainJob"));
    assertTrue(calls().get(2).endsWith("train.resume=true"), calls().get(2));
    Path report = tmp.resolve("runs/_reports/" + DS);
    assertEquals("{\"kendall_tau\":0.5}", Files.readString(report.resolve("summary.json")).strip());
    assertTrue(Files.exists(report.resolve("correlation.json")));
    assertTrue(Files.exists(report.resolve("report/proxy-scoring/index.html")), "HTML report copied");
    String index = Files.readString(tmp.resolve("runs/_reports/index.tsv"));
    assertEquals("date\trun_folder\tfiles\n" + DS + "\t" + tmp.resolve("runs/" + DS)
        + "\tsummary.json,correlation.json\n", index);
    assertFalse(Files.list(tmp).anyMatch(p -> p.getFileName().toString().startsWith("rdnas-submit.")),
        "the secret's properties file is left behind");

    Repo.Result third = pipeline(env);
    assertEquals(0, third.status(), third.output());
    assertEquals(3, calls().size(), "a finished date runs nothing:\n" + third.output());
    assertEquals(3, third.output().lines().filter(l -> l.contains("skipped")).count(), third.output());
    assertEquals(index, Files.readString(tmp.resolve("runs/_reports/index.tsv")));
  }

  @Test
  void failedScoringResumesWithTheResumeFlag() throws IOException {
    Map<String, String> env = env();
    env.put("FAKE_FAIL", "scoring");
    assertEquals(3, pipeline(env).status());
    assertEquals(1, calls().size(), "job 2 must not start after job 1 failed");
    env.remove("FAKE_FAIL");
    Repo.Result r = pipeline(env);
    assertEquals(0, r.status(), r.output());
    assertTrue(calls().get(1).contains("org.rdnas.spark.ProxyScoringJob")
        && calls().get(1).endsWith("scoring.resume=true"), calls().get(1));
    assertTrue(calls().get(2).contains("org.rdnas.spark.DistillTrainJob")
        && !calls().get(2).contains("train.resume=true"), calls().get(2));
  }

  @Test
  void twoRunsNeverOverlap() throws Exception {
    String flock = Repo.tool("/usr/bin/flock", "util-linux");
    Map<String, String> env = env();
    Process holder = new ProcessBuilder(flock, env.get("RDNAS_LOCK"), "sleep", "60").start();
    try {
      Path lock = Path.of(env.get("RDNAS_LOCK"));
      for (int i = 0; i < 100 && !Files.exists(lock); i++) {
        Thread.sleep(50);
      }
      Thread.sleep(200); // the holder creates the file, then takes the lock
      Repo.Result r = pipeline(env);
      assertEquals(75, r.status(), r.output());
      assertTrue(r.output().contains("another run holds " + lock), r.output());
      assertTrue(calls().isEmpty());
    } finally {
      holder.descendants().forEach(ProcessHandle::destroy); // sleep holds the lock too
      holder.destroy();
      holder.waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void refusesABadDate() throws IOException {
    Repo.Result r = Repo.run(env(), List.of("deploy/pipeline/rdnas-pipeline", "2026-3-4"));
    assertEquals(2, r.status());
    assertTrue(r.output().contains("the date must be YYYY-MM-DD, got '2026-3-4'"), r.output());
    Repo.Result impossible = Repo.run(env(), List.of("deploy/pipeline/rdnas-pipeline",
        "2026-13-45"));
    assertEquals(2, impossible.status());
    assertTrue(impossible.output().contains("no such date: '2026-13-45'"), impossible.output());
  }
}
