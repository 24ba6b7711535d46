package org.rdnas.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A review of docker/Dockerfile*, since neither Docker nor hadolint runs in CI: versions equal the
 * pom's, the image is the official Spark one, runs as a non-root user, copies only files the
 * build context has (or the build makes), and fetches nothing when a container starts.
 */
class DockerfilesTest {
  private static final Pattern ARG = Pattern.compile("ARG\\s+(\\w+)(?:=(\\S+))?");
  private static final Pattern VAR = Pattern.compile("\\$\\{(\\w+)}");

  record Instruction(String keyword, String rest) {}

  /** Instructions with continuation lines joined, comments and parser directives left out. */
  static List<Instruction> parse(Path file) {
    List<Instruction> out = new ArrayList<>();
    StringBuilder current = new StringBuilder();
    for (String line : Repo.read(file).split("\n")) {
      String t = line.strip();
      if (current.isEmpty() && (t.isEmpty() || t.startsWith("#"))) {
        continue;
      }
      if (t.endsWith("\\")) {
        current.append(t, 0, t.length() - 1).append(' ');
        continue;
      }
      current.append(t);
      String s = current.toString().strip();
      int sp = s.indexOf(' ');
      out.add(new Instruction(s.substring(0, sp).toUpperCase(), s.substring(sp + 1).strip()));
      current.setLength(0);
    }
    return out;
  }

  static String expand(String s, Map<String, String> args) {
    Matcher m = VAR.matcher(s);
    StringBuilder b = new StringBuilder();
    while (m.find()) {
      m.appendReplacement(b, Matcher.quoteReplacement(args.getOrDefault(m.group(1), m.group())));
    }
    return m.appendTail(b).toString();
  }

  @ParameterizedTest
  @ValueSource(strings = {"docker/Dockerfile", "docker/Dockerfile.cuda"})
  void dockerfileIsSound(String name) {
    Path file = Repo.ROOT.resolve(name);
    List<Instruction> all = parse(file);
    Map<String, String> args = new HashMap<>();
    List<String> froms = new ArrayList<>();
    int lastFrom = -1;
    for (int i = 0; i < all.size(); i++) {
      Instruction in = all.get(i);
      Matcher m = ARG.matcher(in.keyword() + " " + in.rest());
      if (in.keyword().equals("ARG") && m.matches() && m.group(2) != null) {
        String old = args.put(m.group(1), expand(m.group(2), args));
        assertTrue(old == null || old.equals(args.get(m.group(1))),
            name + ": ARG " + m.group(1) + " has two different defaults");
      }
      if (in.keyword().equals("FROM")) {
        froms.add(in.rest());
        lastFrom = i;
      }
    }
    assertEquals(Repo.pomProperty("spark.version"), args.get("SPARK_VERSION"), name);
    assertEquals(Repo.pomProperty("pytorch.version"), args.get("PYTORCH_VERSION"), name);
    assertEquals(Repo.pomProperty("djl.version"), args.get("DJL_VERSION"), name);
    assertEquals("apache/spark:" + Repo.pomProperty("spark.version") + "-scala2.13-java17-ubuntu",
        args.get("SPARK_IMAGE"), name + ": the official Spark image for Java 17");
    assertEquals("${SPARK_IMAGE}", froms.get(froms.size() - 1), name + ": the final stage's base");

    List<Instruction> last = all.subList(lastFrom, all.size());
    String user = last.stream().filter(i -> i.keyword().equals("USER"))
        .reduce((a, b) -> b).map(Instruction::rest).orElse("root");
    assertEquals("185", user, name + ": the image must end as Spark's non-root user 185");

    String env = String.join(" ", last.stream().filter(i -> i.keyword().equals("ENV"))
        .map(Instruction::rest).toList());
    for (String setting : List.of("PYTORCH_LIBRARY_PATH=/opt/rdnas/pytorch", "DJL_OFFLINE=true",
        "PYTORCH_FLAVOR=", "PYTORCH_VERSION=${PYTORCH_VERSION}", "ENGINE_CACHE_DIR=")) {
      assertTrue(env.contains(setting), name + ": ENV lacks " + setting);
    }
    for (Instruction in : all) {
      if (in.keyword().equals("ENTRYPOINT") || in.keyword().equals("CMD")) {
        assertFalse(in.rest().matches("(?s).*\\b(curl|wget)\\b.*"),
            name + ": " + in.keyword() + " fetches at container start: " + in.rest());
      }
    }

    String dockerignore = Repo.read(Repo.ROOT.resolve(".dockerignore"));
    String shadedJars = Repo.read(Repo.ROOT.resolve("spark-jobs/pom.xml"));
    for (Instruction in : all) {
      if (!in.keyword().equals("COPY") || in.rest().contains("--from=")) {
        continue;
      }
      List<String> words = new ArrayList<>(List.of(in.rest().split("\\s+")));
      words.removeIf(w -> w.startsWith("--"));
      for (String source : words.subList(0, words.size() - 1)) {
        String path = expand(source, args);
        assertFalse(path.contains("${"), name + ": COPY source " + source + " has no ARG default");
        assertTrue(dockerignore.contains("\n!" + path + "\n")
            || dockerignore.contains("\n!" + path.substring(0, path.lastIndexOf('/') + 1) + "\n"),
            name + ": .dockerignore leaves out the COPY source " + path);
        if (path.startsWith("spark-jobs/target/")) {
          // A build output: the shade plugin must make it (tests run before packaging).
          assertTrue(shadedJars.contains("<outputFile>${project.build.directory}/"
              + path.substring("spark-jobs/target/".length()) + "</outputFile>"),
              name + ": nothing in spark-jobs/pom.xml builds " + path);
        } else {
          assertTrue(Files.exists(Repo.ROOT.resolve(path)), name + ": COPY source " + path + " is missing");
        }
      }
    }
  }

  /**
   * The CUDA image builds from public registries alone: PyTorch's CUDA wheel from its package index,
   * nothing the user must supply, and every variable the GPU path reads set in the final image.
   */
  @org.junit.jupiter.api.Test
  void cudaImageNeedsNothingByHand() {
    String file = Repo.read(Repo.ROOT.resolve("docker/Dockerfile.cuda"));
    List<Instruction> all = parse(Repo.ROOT.resolve("docker/Dockerfile.cuda"));
    assertTrue(file.contains("--index-url \"${PYTORCH_INDEX}\" \"torch==${PYTORCH_VERSION}\""));
    assertTrue(file.contains("ARG PYTORCH_INDEX=https://download.pytorch.org/whl/cu128"));
    for (Instruction in : all) {
      if (in.keyword().equals("COPY") && !in.rest().contains("--from=")) {
        assertFalse(in.rest().contains("docker/"), "COPY of a file supplied by hand: " + in.rest());
      }
    }
    String env = String.join(" ", all.stream().filter(i -> i.keyword().equals("ENV"))
        .map(Instruction::rest).toList());
    for (String setting : List.of("PYTORCH_FLAVOR=${PYTORCH_FLAVOR}",
        "LD_LIBRARY_PATH=/opt/rdnas/pytorch:/opt/rdnas/nvidia",
        "JAVA_TOOL_OPTIONS=-Djna.library.path=/opt/rdnas/nvidia", "DJL_OFFLINE=true")) {
      assertTrue(env.contains(setting), "ENV lacks " + setting);
    }
    assertTrue(file.contains("ARG PYTORCH_FLAVOR=cu128"));
    assertTrue(file.contains("/opt/rdnas/bin/device-check"), "the device check is in the image");
  }
}
