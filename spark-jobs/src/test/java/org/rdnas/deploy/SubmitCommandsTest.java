package org.rdnas.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.rdnas.config.RdnasConfig;

/**
 * deploy/cluster/rdnas-submit, through its --dry-run: for every target, job and device, the
 * command uses only known Spark keys, the security defaults, the pom's JVM flags, one task slot
 * per executor, and job arguments that rdnas's configuration loader accepts.
 */
class SubmitCommandsTest {
  private static final String SECRET = "not-a-real-secret-42";
  @TempDir static Path tmp;

  static Map<String, String> env() throws IOException {
    Path flags = tmp.resolve("jvm-flags");
    Files.writeString(flags, Repo.pomProperty("rdnas.jvm.flags"));
    Map<String, String> env = new HashMap<>();
    env.put("RDNAS_JVM_FLAGS_FILE", flags.toString());
    env.put("RDNAS_SPARK_SECRET", SECRET);
    env.put("RDNAS_EVENT_LOG_DIR", "hdfs:///spark-history");
    env.put("RDNAS_IMAGE", "registry.example.com/rdnas:test");
    return env;
  }

  static List<String> dryRun(Map<String, String> env, String... args) {
    List<String> command = new ArrayList<>(List.of("deploy/cluster/rdnas-submit", "--dry-run"));
    command.addAll(List.of(args));
    Repo.Result r = Repo.run(env, command);
    assertEquals(0, r.status(), String.join(" ", command) + ":\n" + r.output());
    return r.output().lines().toList();
  }

  @ParameterizedTest(name = "{0} {1} gpu={2}")
  @CsvSource({
      "standalone, scoring, false, spark://master:7077", "standalone, train, true, spark://master:7077",
      "standalone, train, false, spark://master:7077", "standalone, scoring, true, spark://master:7077",
      "yarn, scoring, false, yarn", "yarn, train, true, yarn",
      "yarn, train, false, yarn", "yarn, scoring, true, yarn",
      "k8s, scoring, false, k8s://https://api:443", "k8s, train, true, k8s://https://api:443",
      "k8s, train, false, k8s://https://api:443", "k8s, scoring, true, k8s://https://api:443"})
  void commandIsCompleteAndSpelledRight(String target, String job, boolean gpu, String master)
      throws IOException {
    Map<String, String> env = env();
    env.put("RDNAS_MASTER", master);
    List<String> args = new ArrayList<>(List.of("--target", target, "--job", job));
    if (gpu) {
      args.add("--gpu");
    }
    args.addAll(List.of("--", "output.path=/tmp/run", "train.epochs=3"));
    List<String> cmd = dryRun(env, args.toArray(String[]::new));

    Map<String, String> conf = new LinkedHashMap<>();
    int jar = -1;
    for (int i = 1; i < cmd.size(); i++) {
      String a = cmd.get(i);
      if (a.equals("--conf")) {
        String kv = cmd.get(++i);
        conf.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
      } else if (a.endsWith(".jar")) {
        jar = i;
        break;
      } else if (a.startsWith("--") && !a.equals("--load-spark-defaults")) {
        i++;
      }
    }
    assertTrue(jar > 0, "no application jar in " + cmd);
    for (String key : conf.keySet()) {
      assertTrue(SparkKeys.known(key), "unknown Spark key " + key + " in " + target + " " + job);
    }
    assertFalse(String.join("\n", cmd).contains(SECRET), "the secret is on the command line");
    assertEquals("true", conf.get("spark.authenticate"));
    assertEquals("true", conf.get("spark.network.crypto.enabled"));
    assertEquals("true", conf.get("spark.io.encryption.enabled"));
    assertEquals("true", conf.get("spark.eventLog.enabled"));
    assertTrue(conf.containsKey("spark.eventLog.dir"));
    String flags = Repo.pomProperty("rdnas.jvm.flags");
    assertTrue(conf.get("spark.driver.extraJavaOptions").startsWith(flags));
    assertTrue(conf.get("spark.executor.extraJavaOptions").startsWith(flags));
    String cores = conf.get("spark.executor.cores");
    assertEquals(cores, conf.get("spark.task.cpus"), "one task slot per executor");
    assertEquals(cores, conf.get("spark.executorEnv.OMP_NUM_THREADS"));
    assertTrue(conf.get("spark.executor.extraJavaOptions")
        .contains("-Dai.djl.pytorch.num_threads=" + cores));
    assertTrue(conf.containsKey("spark.executor.memoryOverhead"));
    switch (target) {
      case "standalone" -> assertEquals("<redacted>", cmd.get(cmd.indexOf("--properties-file") + 1));
      case "k8s" -> assertEquals("/etc/rdnas/auth/secret", conf.get("spark.authenticate.secret.file"));
      default -> assertFalse(conf.containsKey("spark.authenticate.secret"));
    }
    if (gpu) {
      assertEquals("1", conf.get("spark.executor.resource.gpu.amount"));
      assertEquals("1", conf.get("spark.task.resource.gpu.amount"));
      assertTrue(conf.containsKey("spark.executor.resource.gpu.discoveryScript"));
      if (!target.equals("k8s")) {
        assertEquals(Repo.pomProperty("pytorch.version"), conf.get("spark.executorEnv.PYTORCH_VERSION"));
        assertEquals("cu128", conf.get("spark.executorEnv.PYTORCH_FLAVOR"));
        assertEquals("/opt/rdnas/pytorch:/opt/rdnas/nvidia",
            conf.get("spark.executorEnv.LD_LIBRARY_PATH"));
        assertEquals("-Djna.library.path=/opt/rdnas/nvidia",
            conf.get("spark.executorEnv.JAVA_TOOL_OPTIONS"));
      }
    }
    String jarName = job.equals("scoring") ? "proxy-scoring.jar" : "distill-train.jar";
    assertTrue(cmd.get(jar).endsWith("/" + jarName), cmd.get(jar));
    List<String> appArgs = cmd.subList(jar + 1, cmd.size());
    assertEquals(gpu, appArgs.contains("device=gpu"));
    // rdnas's loader rejects unknown keys and bad values: every job argument must pass it.
    RdnasConfig config = RdnasConfig.load(appArgs, tmp);
    assertEquals(gpu ? RdnasConfig.Device.GPU : RdnasConfig.Device.AUTO, config.device());
  }

  /** The --conf settings of a dry run, by key. */
  static Map<String, String> confOf(List<String> cmd) {
    Map<String, String> conf = new LinkedHashMap<>();
    for (int i = 0; i + 1 < cmd.size(); i++) {
      if (cmd.get(i).equals("--conf")) {
        String kv = cmd.get(i + 1);
        conf.put(kv.substring(0, kv.indexOf('=')), kv.substring(kv.indexOf('=') + 1));
      }
    }
    return conf;
  }

  /** Sizes as "executors x cores, memory + overhead, driver", from a dry run's command. */
  static String sizes(List<String> cmd) {
    Map<String, String> conf = confOf(cmd);
    String cores = conf.get("spark.executor.cores");
    int total = Integer.parseInt(cmd.get(cmd.indexOf("--total-executor-cores") + 1));
    return total / Integer.parseInt(cores) + " x " + cores + ", " + conf.get("spark.executor.memory")
        + " + " + conf.get("spark.executor.memoryOverhead") + ", driver " + conf.get("spark.driver.memory");
  }

  @Test
  void executorSizesFollowTheClusterAndEachOneCanBeOverridden() throws IOException {
    Map<String, String> env = env();
    String[] args = {"--target", "standalone", "--job", "scoring"};
    env.put("RDNAS_MASTER", "spark://master:7077");
    assertEquals("2 x 4, 4g + 6g, driver 4g", sizes(dryRun(env, args)));
    // A master on this machine: deploy/local/cluster's default worker (2 cores, 3g) holds them.
    for (String local : List.of("spark://127.0.0.1:7077", "spark://localhost:7078")) {
      env.put("RDNAS_MASTER", local);
      assertEquals("2 x 1, 1g + 512m, driver 1g", sizes(dryRun(env, args)), local);
    }
    env.put("RDNAS_SIZE", "cluster");
    assertEquals("2 x 4, 4g + 6g, driver 4g", sizes(dryRun(env, args)));
    env.put("RDNAS_MASTER", "spark://master:7077");
    env.put("RDNAS_SIZE", "local");
    env.put("RDNAS_EXECUTORS", "3");
    env.put("RDNAS_EXECUTOR_MEMORY", "1536m");
    env.put("RDNAS_DRIVER_MEMORY", "2g");
    assertEquals("3 x 1, 1536m + 512m, driver 2g", sizes(dryRun(env, args)));

    env.put("RDNAS_SIZE", "huge");
    Repo.Result r = Repo.run(env, List.of("deploy/cluster/rdnas-submit", "--dry-run", "--target",
        "standalone", "--job", "scoring"));
    assertEquals(2, r.status());
    assertTrue(r.output().contains("RDNAS_SIZE must be cluster or local, got 'huge'"), r.output());
    env.remove("RDNAS_SIZE");
    env.put("RDNAS_EXECUTOR_OVERHEAD", "lots");
    r = Repo.run(env, List.of("deploy/cluster/rdnas-submit", "--dry-run", "--target", "standalone",
        "--job", "scoring"));
    assertEquals(2, r.status());
    assertTrue(r.output().contains("RDNAS_EXECUTOR_OVERHEAD must be a size such as 4g or 512m, got 'lots'"),
        r.output());
  }

  @Test
  void coreKeysAreSparkConfigEntries() {
    for (String key : SparkKeys.CORE) {
      assertTrue(SparkKeys.registered(key), key + " is not a Spark configuration entry");
    }
    assertFalse(SparkKeys.registered("spark.authenticat"), "the registry check accepts anything");
  }

  @Test
  void refusesMissingSecretAndBadArguments() throws IOException {
    Map<String, String> env = env();
    env.put("RDNAS_MASTER", "spark://master:7077");
    env.put("RDNAS_SPARK_SECRET", "");
    Repo.Result r = Repo.run(env, List.of("deploy/cluster/rdnas-submit", "--dry-run",
        "--target", "standalone", "--job", "scoring"));
    assertEquals(2, r.status());
    assertTrue(r.output().contains("RDNAS_SPARK_SECRET is unset"), r.output());

    r = Repo.run(env(), List.of("deploy/cluster/rdnas-submit", "--target", "mesos", "--job", "scoring"));
    assertEquals(2, r.status());
    assertTrue(r.output().contains("--target must be standalone, yarn or k8s, got 'mesos'"), r.output());

    env = env();
    env.put("RDNAS_JVM_FLAGS_FILE", tmp.resolve("absent").toString());
    env.put("RDNAS_MASTER", "yarn");
    r = Repo.run(env, List.of("deploy/cluster/rdnas-submit", "--target", "yarn", "--job", "train"));
    assertEquals(2, r.status());
    assertTrue(r.output().contains("no JVM flags in " + tmp.resolve("absent")), r.output());
  }
}
