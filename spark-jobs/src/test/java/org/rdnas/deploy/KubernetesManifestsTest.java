package org.rdnas.deploy;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

/** Every YAML file under deploy/ parses; every SparkApplication is complete and holds no secret. */
class KubernetesManifestsTest {
  private static final YAMLMapper YAML = new YAMLMapper();

  static List<JsonNode> documents(Path file) throws IOException {
    try (var it = YAML.readerFor(JsonNode.class).<JsonNode>readValues(file.toFile())) {
      return new ArrayList<>(it.readAll());
    }
  }

  static List<JsonNode> sparkApplications() throws IOException {
    List<JsonNode> apps = new ArrayList<>();
    for (Path p : yamlFiles()) {
      for (JsonNode doc : documents(p)) {
        if ("SparkApplication".equals(doc.path("kind").asText())) {
          apps.add(doc);
        }
      }
    }
    return apps;
  }

  static List<Path> yamlFiles() {
    return Repo.files("deploy").stream()
        .filter(p -> p.toString().endsWith(".yaml") || p.toString().endsWith(".yml")).toList();
  }

  @Test
  void everyYamlParses() {
    assertFalse(yamlFiles().isEmpty());
    for (Path p : yamlFiles()) {
      List<JsonNode> docs = assertDoesNotThrow(() -> documents(p), p.toString());
      assertFalse(docs.isEmpty(), p + " is empty");
      docs.forEach(d -> assertTrue(d.hasNonNull("kind") && d.hasNonNull("apiVersion"),
          p + ": a document without kind or apiVersion"));
    }
  }

  @Test
  void sparkApplicationsAreCompleteAndSecure() throws IOException {
    List<JsonNode> apps = sparkApplications();
    assertEquals(4, apps.size(), "both jobs, CPU and GPU");
    String flags = Repo.pomProperty("rdnas.jvm.flags");
    for (JsonNode app : apps) {
      String name = app.path("metadata").path("name").asText();
      JsonNode spec = app.path("spec");
      assertEquals("sparkoperator.k8s.io/v1beta2", app.path("apiVersion").asText(), name);
      assertEquals(Repo.pomProperty("spark.version"), spec.path("sparkVersion").asText(), name);
      String jar = spec.path("mainApplicationFile").asText();
      String main = spec.path("mainClass").asText();
      assertTrue(jar.equals("local:///opt/rdnas/jars/proxy-scoring.jar")
          && main.equals("org.rdnas.spark.ProxyScoringJob")
          || jar.equals("local:///opt/rdnas/jars/distill-train.jar")
          && main.equals("org.rdnas.spark.DistillTrainJob"), name + ": " + jar + " " + main);
      assertDoesNotThrow(() -> Class.forName(main), name);

      JsonNode conf = spec.path("sparkConf");
      StreamSupport.stream(((Iterable<String>) conf::fieldNames).spliterator(), false)
          .forEach(k -> assertTrue(SparkKeys.known(k), name + ": unknown Spark key " + k));
      for (String k : List.of("spark.authenticate", "spark.network.crypto.enabled",
          "spark.io.encryption.enabled", "spark.eventLog.enabled")) {
        assertEquals("true", conf.path(k).asText(), name + ": " + k);
      }
      assertTrue(conf.hasNonNull("spark.eventLog.dir"), name);
      assertFalse(conf.has("spark.authenticate.secret"), name + ": a literal secret");
      String secretFile = conf.path("spark.authenticate.secret.file").asText();
      for (String role : List.of("driver", "executor")) {
        JsonNode mount = spec.path(role).path("secrets").path(0);
        assertTrue(secretFile.startsWith(mount.path("path").asText() + "/"),
            name + ": the " + role + " does not mount the secret file " + secretFile);
        assertTrue(conf.path("spark." + role + ".extraJavaOptions").asText().startsWith(flags),
            name + ": spark." + role + ".extraJavaOptions must start with the pom's rdnas.jvm.flags");
      }
      String cores = spec.path("executor").path("cores").asText();
      assertEquals(cores, conf.path("spark.task.cpus").asText(), name + ": one task per executor");
      assertTrue(conf.path("spark.executor.extraJavaOptions").asText()
          .contains("-Dai.djl.pytorch.num_threads=" + cores), name);
      assertTrue(spec.path("executor").hasNonNull("memoryOverhead"), name);
      boolean gpu = name.endsWith("-gpu");
      assertEquals(gpu, spec.path("executor").has("gpu"), name);
      List<String> args = new ArrayList<>();
      spec.path("arguments").forEach(a -> args.add(a.asText()));
      assertEquals(gpu, args.contains("device=gpu"), name);
      if (gpu) {
        assertEquals("1", conf.path("spark.task.resource.gpu.amount").asText(), name);
        assertEquals("1", conf.path("spark.executor.resource.gpu.amount").asText(), name);
        Map<String, String> env = new java.util.HashMap<>();
        spec.path("executor").path("env").forEach(e -> env.put(e.path("name").asText(),
            e.path("value").asText()));
        assertEquals(Map.of("PYTORCH_LIBRARY_PATH", "/opt/rdnas/pytorch",
            "PYTORCH_VERSION", Repo.pomProperty("pytorch.version"), "PYTORCH_FLAVOR", "cu128",
            "LD_LIBRARY_PATH", "/opt/rdnas/pytorch:/opt/rdnas/nvidia",
            "JAVA_TOOL_OPTIONS", "-Djna.library.path=/opt/rdnas/nvidia", "DJL_OFFLINE", "true"),
            env, name + ": the GPU path's variables");
      }
      // Job arguments are rdnas configuration keys the loader accepts.
      assertDoesNotThrow(() -> org.rdnas.config.RdnasConfig.load(args, Path.of("/nonexistent")),
          name + ": " + args);
    }
  }

  @Test
  void noSecretValueInAnyDeployFile() {
    for (Path p : Repo.files("deploy")) {
      String text = Repo.read(p);
      assertFalse(text.matches("(?s).*spark\\.authenticate\\.secret[\"']?\\s*[:=]\\s*[\"']?[A-Za-z0-9]{8,}.*"),
          p + " holds what looks like a literal spark.authenticate.secret");
    }
  }
}
