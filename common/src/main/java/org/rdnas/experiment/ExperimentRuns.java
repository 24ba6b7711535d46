package org.rdnas.experiment;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The finished training runs of an experiment, read from their {@code summary.json} files laid out as
 * {@code runs/<arm>/seed-<seed>/summary.json}: per run, the Kendall tau of every evaluation round and
 * the proxies' own tau on the same eval archs.
 */
public final class ExperimentRuns {
  private static final Pattern SEED_DIR = Pattern.compile("seed-(-?\\d+)");
  private static final ObjectMapper JSON = new ObjectMapper();

  /** One evaluation round of one run. */
  public record Round(int epoch, long step, double tau, double tauLower, double tauUpper,
      double spearman, double precisionAtK) {}

  /** One finished run of one arm. */
  public record Run(long seed, List<Round> rounds, double wallSeconds, double imagesPerSecond,
      Map<String, Double> baselineTau) {
    public Round last() {
      return rounds.get(rounds.size() - 1);
    }
  }

  /**
   * One arm: a training mode and teacher at a number of epochs, over seeds.
   *
   * @param subnetsPerStep subnets trained per step: 2 for RD-NAS's pair, 1 for SPOS
   */
  public record Arm(String name, String mode, List<String> teacher, int epochs, int subnetsPerStep,
      List<Run> runs) {
    /** Subnet-epochs of training: the compute an arm spent, comparable across modes. */
    public int compute() {
      return epochs * subnetsPerStep;
    }
  }

  private ExperimentRuns() {}

  /**
   * Reads every {@code <runsDir>/<arm>/seed-<s>/summary.json}, arms in {@code armOrder} first (the
   * others after, by name), runs by seed.
   *
   * @throws IOException naming the file that is unreadable or lacks an evaluation with ground truth
   */
  public static List<Arm> read(Path runsDir, List<String> armOrder) throws IOException {
    if (!Files.isDirectory(runsDir)) {
      throw new IOException("no runs folder at " + runsDir);
    }
    Map<String, List<Path>> byArm = new LinkedHashMap<>();
    try (Stream<Path> arms = Files.list(runsDir)) {
      for (Path arm : arms.filter(Files::isDirectory).sorted().toList()) {
        try (Stream<Path> seeds = Files.list(arm)) {
          List<Path> done = seeds.filter(p -> SEED_DIR.matcher(p.getFileName().toString()).matches())
              .map(p -> p.resolve("summary.json")).filter(Files::isRegularFile).sorted().toList();
          if (!done.isEmpty()) {
            byArm.put(arm.getFileName().toString(), done);
          }
        }
      }
    }
    List<Arm> out = new ArrayList<>();
    for (Map.Entry<String, List<Path>> e : byArm.entrySet()) {
      out.add(arm(e.getKey(), e.getValue()));
    }
    out.sort(Comparator.comparingInt((Arm a) -> {
      int i = armOrder.indexOf(a.name());
      return i < 0 ? Integer.MAX_VALUE : i;
    }).thenComparing(Arm::name));
    return out;
  }

  private static Arm arm(String name, List<Path> summaries) throws IOException {
    String mode = null;
    List<String> teacher = List.of();
    int epochs = -1;
    List<Run> runs = new ArrayList<>();
    for (Path p : summaries) {
      JsonNode s = JSON.readTree(p.toFile());
      String m = text(s, p, "mode");
      int e = s.path("training").path("epochs").asInt(-1);
      if (mode != null && (!mode.equals(m) || epochs != e)) {
        throw new IOException(p + ": mode " + m + " at " + e + " epochs differs from the arm's other"
            + " runs (" + mode + " at " + epochs + ")");
      }
      mode = m;
      epochs = e;
      List<String> t = new ArrayList<>();
      s.path("ranking_table").path("teacher").forEach(n -> t.add(n.asText()));
      teacher = m.equals("rdnas") ? t : List.of();
      runs.add(run(s, p));
    }
    runs.sort(Comparator.comparingLong(Run::seed));
    return new Arm(name, mode, teacher, epochs, "rdnas".equals(mode) ? 2 : 1, runs);
  }

  private static Run run(JsonNode s, Path p) throws IOException {
    Matcher m = SEED_DIR.matcher(p.getParent().getFileName().toString());
    if (!m.matches()) {
      throw new IOException(p + " is not under a seed-<n> folder");
    }
    JsonNode ev = s.path("evaluation");
    List<Round> rounds = new ArrayList<>();
    for (JsonNode r : ev.path("rounds")) {
      JsonNode g = r.path("supernet_vs_ground_truth");
      if (g.isMissingNode() || g.isNull()) {
        throw new IOException(p + ": evaluation round " + r.path("round").asInt()
            + " has no comparison with ground truth (run the jobs with rdnas.ground-truth.path)");
      }
      JsonNode tau = g.path("kendall_tau_b");
      rounds.add(new Round(r.path("epoch").asInt(), r.path("step").asLong(),
          number(tau, "estimate"), number(tau, "ci95_lower"), number(tau, "ci95_upper"),
          number(g, "spearman"), number(g, "precision_at_k")));
    }
    if (rounds.isEmpty()) {
      throw new IOException(p + " has no evaluation round");
    }
    Map<String, Double> baselines = new LinkedHashMap<>();
    ev.path("baselines_vs_ground_truth").fields().forEachRemaining(
        f -> baselines.put(f.getKey(), number(f.getValue().path("kendall_tau_b"), "estimate")));
    return new Run(Long.parseLong(m.group(1)), List.copyOf(rounds),
        s.path("wall_seconds").asDouble(Double.NaN),
        s.path("throughput").path("images_per_second").asDouble(Double.NaN), baselines);
  }

  private static String text(JsonNode s, Path p, String field) throws IOException {
    JsonNode n = s.path(field);
    if (!n.isTextual()) {
      throw new IOException(p + " has no '" + field + "' field: not a distill-train summary");
    }
    return n.asText();
  }

  private static double number(JsonNode n, String field) {
    JsonNode v = n.path(field);
    return v.isNumber() ? v.asDouble() : Double.NaN;
  }
}
