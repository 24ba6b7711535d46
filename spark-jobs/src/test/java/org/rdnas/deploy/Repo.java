package org.rdnas.deploy;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Assumptions;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

/** The repository under test, the parent pom's properties, and running its scripts and tools. */
final class Repo {
  static final Path ROOT = findRoot();

  private Repo() {}

  private static Path findRoot() {
    for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
      if (Files.isDirectory(p.resolve("deploy")) && Files.isRegularFile(p.resolve("pom.xml"))
          && Files.isDirectory(p.resolve("spark-jobs"))) {
        return p;
      }
    }
    throw new IllegalStateException("no repository root above " + Path.of("").toAbsolutePath());
  }

  /** A property of the parent pom, e.g. {@code spark.version}. */
  static String pomProperty(String name) {
    try {
      var doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
          .parse(ROOT.resolve("pom.xml").toFile());
      Element props = (Element) doc.getDocumentElement().getElementsByTagName("properties").item(0);
      for (Node n = props.getFirstChild(); n != null; n = n.getNextSibling()) {
        if (n instanceof Element e && e.getTagName().equals(name)) {
          return e.getTextContent().strip();
        }
      }
    } catch (Exception e) {
      throw new IllegalStateException("cannot read " + ROOT.resolve("pom.xml"), e);
    }
    throw new IllegalStateException("pom.xml has no property " + name);
  }

  static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Regular text files under {@code dirs} (relative to the root), build outputs and binary files
   * (such as the experiment results' PNGs) excluded.
   */
  static List<Path> files(String... dirs) {
    List<Path> out = new ArrayList<>();
    for (String dir : dirs) {
      try (Stream<Path> s = Files.walk(ROOT.resolve(dir))) {
        s.filter(Files::isRegularFile)
            .filter(p -> !ROOT.relativize(p).toString().contains("/target/"))
            .filter(Repo::isText)
            .sorted().forEach(out::add);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return out;
  }

  /** Whether {@code file} looks like text: no NUL byte in its first 8 KiB. */
  private static boolean isText(Path file) {
    try (var in = Files.newInputStream(file)) {
      byte[] head = in.readNBytes(8192);
      for (byte b : head) {
        if (b == 0) {
          return false;
        }
      }
      return true;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The path of an external tool the test needs. In CI (env CI set) a missing tool fails the test,
   * since .ci/run installs it; elsewhere the test is skipped with a message.
   */
  static String tool(String path, String debianPackage) {
    if (Files.isExecutable(Path.of(path))) {
      return path;
    }
    String message = path + " is missing: apt-get install " + debianPackage + " (.ci/run does)";
    if (System.getenv("CI") != null) {
      fail(message);
    }
    Assumptions.abort(message);
    return null;
  }

  /** Output and exit status of a finished process. */
  record Result(int status, String output) {}

  /** Runs {@code command} in the root with extra environment, stdout and stderr together. */
  static Result run(Map<String, String> env, List<String> command) {
    ProcessBuilder pb = new ProcessBuilder(command).directory(ROOT.toFile()).redirectErrorStream(true);
    pb.environment().putAll(env);
    try {
      Process p = pb.start();
      p.getOutputStream().close();
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertTrue(p.waitFor(120, TimeUnit.SECONDS), "still running: " + command);
      return new Result(p.exitValue(), out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
