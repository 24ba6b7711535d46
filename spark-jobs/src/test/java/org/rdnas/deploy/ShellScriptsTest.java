package org.rdnas.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Every shell script under deploy/, docker/, notebooks/ and .ci/ passes shellcheck and is
 * executable.
 */
class ShellScriptsTest {

  static List<Path> shellScripts() {
    List<Path> scripts = new ArrayList<>();
    for (Path p : Repo.files("deploy", "docker", "notebooks", ".ci")) {
      String text = Repo.read(p);
      String first = text.lines().findFirst().orElse("");
      if (p.toString().endsWith(".sh") || first.matches("#!.*\\b(bash|sh|dash)\\b.*")) {
        scripts.add(p);
      }
    }
    return scripts;
  }

  @Test
  void everyScriptPassesShellcheck() {
    String shellcheck = Repo.tool("/usr/bin/shellcheck", "shellcheck");
    List<Path> scripts = shellScripts();
    assertTrue(scripts.size() >= 10, "expected the deploy scripts, found " + scripts);
    List<String> command = new ArrayList<>(List.of(shellcheck, "--severity=style"));
    scripts.forEach(p -> command.add(Repo.ROOT.relativize(p).toString()));
    Repo.Result r = Repo.run(Map.of(), command);
    assertEquals(0, r.status(), "shellcheck findings:\n" + r.output());
  }

  @Test
  void everyScriptIsExecutable() {
    for (Path p : shellScripts()) {
      assertTrue(Files.isExecutable(p), p + " is not executable (git update-index --chmod=+x)");
    }
  }
}
