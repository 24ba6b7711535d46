package org.rdnas.train;

import ai.djl.engine.Engine;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;
import org.rdnas.config.RdnasConfig;
import org.rdnas.config.TrainConfig;

/**
 * Job 2's {@code summary.json}: what ran (provenance), how far and how fast it trained, the final
 * losses, and how well the supernet, its teacher and every ranking-table column rank the eval
 * archs against the ground truth, round by round. Built from the journaled rows of every step, so a
 * resumed run's summary covers the whole run.
 */
public final class RunSummary {
  private static final ObjectMapper JSON = new ObjectMapper();

  private RunSummary() {}

  /**
   * Where and how a run ran, besides its configuration.
   *
   * @param runId this process's run id
   * @param applicationId the Spark application id, or null in process
   * @param master the Spark master, or "in-process"
   * @param engineVersions extra versions to record (e.g. "spark"), in order
   * @param started when this process started the run
   * @param wallSeconds this process's wall time
   * @param resumedFrom the checkpoint file resumed from, if any
   */
  public record Provenance(String runId, String applicationId, String master,
      Map<String, String> engineVersions, Instant started, double wallSeconds,
      Optional<String> resumedFrom) {}

  /**
   * The inputs the summary describes.
   *
   * @param data one line on the training and held-out images
   * @param heldOutImages images evaluated on
   * @param recalibrationImages training images BN is recalibrated on, 0 for batch statistics
   * @param truthSource where the ground truth comes from, or null without it
   * @param ranking the ranking table, if one was read
   * @param teacher the teacher over it, if any
   */
  public record Inputs(String data, int heldOutImages, int recalibrationImages,
      String truthSource, Optional<Ranking> ranking, Optional<Teacher> teacher) {}

  /** The ranking table a run read: its path, rows and the rows in the search space. */
  public record Ranking(String path, long rows, RankingTable table) {}

  /** The summary of {@code run}, from the journaled rows of all its steps and evaluations. */
  public static ObjectNode of(RdnasConfig config, TrainingRun run, Provenance p, Inputs in,
      List<StepRow> metrics, List<EvalRow> evals, String finalCheckpoint) {
    TrainConfig t = config.train();
    StepPlanner planner = run.state().planner();
    long startStep = run.startStep();
    ObjectNode o = JSON.createObjectNode();
    o.put("job", "distill-train");
    o.put("mode", t.mode().configName());
    o.put("run_id", p.runId());
    o.put("spark_application_id", p.applicationId());
    o.put("master", p.master());
    o.put("started", p.started().toString());
    o.put("finished", Instant.now().toString());
    o.put("wall_seconds", p.wallSeconds());
    if (startStep > 0) {
      o.put("resumed_from_step", startStep);
      o.put("resumed_from", p.resumedFrom().orElse(""));
    } else {
      o.putNull("resumed_from_step");
    }
    ObjectNode steps = o.putObject("training");
    steps.put("steps", planner.totalSteps());
    steps.put("steps_this_run", planner.totalSteps() - startStep);
    steps.put("epochs", t.epochs());
    steps.put("steps_per_epoch", planner.stepsPerEpoch());
    steps.put("batch_size", t.batchSize());
    steps.put("micro_batch", planner.microBatch());
    steps.put("workers", t.workers());
    steps.put("parameters", run.state().parameterCount());
    steps.put("supernet", "C=" + config.space().channels() + ", N=" + config.space().cells());
    steps.put("data", in.data());
    steps.put("final_checkpoint", finalCheckpoint);

    // Throughput of the steps this run trained (a resumed run's earlier steps are another run's).
    List<StepRow> mine = metrics.stream().filter(r -> r.step() >= startStep).toList();
    ObjectNode speed = o.putObject("throughput");
    double stepSum = mine.stream().mapToDouble(StepRow::stepSeconds).sum();
    double computeSum = mine.stream().mapToDouble(StepRow::computeSeconds).sum();
    EvalReports.put(speed, "images_per_second", run.trainNanos() > 0
        ? run.samples() / (run.trainNanos() / 1e9) : Double.NaN);
    EvalReports.put(speed, "mean_step_seconds", mine.isEmpty() ? Double.NaN
        : stepSum / mine.size());
    EvalReports.put(speed, "mean_compute_seconds",
        mine.isEmpty() ? Double.NaN : computeSum / mine.size());
    EvalReports.put(speed, "mean_coordination_seconds",
        mine.isEmpty() ? Double.NaN : (stepSum - computeSum) / mine.size());
    EvalReports.put(speed, "coordination_fraction",
        stepSum > 0 ? (stepSum - computeSum) / stepSum : Double.NaN);
    // Medians leave out the first steps' one-off costs (loading images on executors, JIT).
    EvalReports.put(speed, "median_step_seconds", median(mine, StepRow::stepSeconds));
    EvalReports.put(speed, "median_compute_seconds", median(mine, StepRow::computeSeconds));
    EvalReports.put(speed, "median_coordination_seconds",
        median(mine, StepRow::coordinationSeconds));
    EvalReports.put(speed, "median_images_per_second", median(mine, StepRow::imagesPerSecond));

    int lastEpoch = t.epochs() - 1;
    List<StepRow> last = metrics.stream().filter(r -> r.epoch() == lastEpoch).toList();
    ObjectNode losses = o.putObject("final_epoch_losses");
    EvalReports.put(losses, "ce_a", mean(last, StepRow::ceA));
    if (t.mode() == TrainConfig.Mode.RDNAS) {
      EvalReports.put(losses, "ce_b", mean(last, r -> r.ceB() == null ? Double.NaN : r.ceB()));
      EvalReports.put(losses, "rank_loss",
          mean(last, r -> r.rankLoss() == null ? Double.NaN : r.rankLoss()));
    }
    EvalReports.put(losses, "loss", mean(last, StepRow::loss));

    in.ranking().ifPresent(r -> {
      ObjectNode table = o.putObject("ranking_table");
      table.put("path", r.path());
      table.put("rows", r.rows());
      table.put("rows_in_space", r.table().size());
      in.teacher().ifPresent(teacher -> {
        table.set("teacher", JSON.valueToTree(teacher.columns()));
        table.put("eligible_rows", teacher.eligibleCount());
      });
    });
    if (t.mode() == TrainConfig.Mode.RDNAS) {
      ObjectNode d = o.putObject("distill");
      d.put("threshold", config.distill().threshold());
      d.put("lambda", config.distill().lambda().configName());
      d.put("lambda_max", config.distill().lambdaMax());
      d.put("margin", config.distill().margin().configName());
    }
    o.set("evaluation", evaluation(config, run.eval().orElseThrow(), in, evals));
    ObjectNode versions = o.putObject("versions");
    Engine engine = Engine.getInstance();
    versions.put("djl", Engine.getDjlVersion());
    versions.put("engine", engine.getEngineName() + " " + engine.getVersion());
    p.engineVersions().forEach(versions::put);
    try {
      o.set("config", JSON.readTree(config.toJson()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return o;
  }

  private static double mean(List<StepRow> rows, ToDoubleFunction<StepRow> f) {
    return rows.stream().mapToDouble(f).average().orElse(Double.NaN);
  }

  private static double median(List<StepRow> rows, ToDoubleFunction<StepRow> f) {
    return org.rdnas.util.Stats.median(rows.stream().mapToDouble(f).toArray());
  }

  private static ObjectNode evaluation(RdnasConfig config, EvalArchs eval, Inputs in,
      List<EvalRow> evals) {
    ObjectNode e = JSON.createObjectNode();
    e.put("archs", eval.archs().size());
    e.put("archs_source", config.eval().archsFileIfSet()
        .map(f -> "file " + f).orElse("sample with seed " + config.eval().seed()));
    e.put("held_out_images", in.heldOutImages());
    e.put("bn", in.recalibrationImages() > 0
        ? "recalibrated on " + in.recalibrationImages() + " training images" : "batch statistics");
    e.put("ground_truth", in.truthSource());
    Map<Integer, List<EvalRow>> byRound = new TreeMap<>();
    for (EvalRow r : evals) {
      byRound.computeIfAbsent(r.round(), k -> new ArrayList<>()).add(r);
    }
    ArrayNode rounds = e.putArray("rounds");
    ObjectNode finalReport = null;
    for (List<EvalRow> rows : byRound.values()) {
      ObjectNode round = rounds.addObject();
      EvalRow first = rows.get(0);
      round.put("round", first.round());
      round.put("step", first.step());
      round.put("epoch", first.epoch());
      EvalReports.put(round, "mean_accuracy",
          rows.stream().mapToDouble(EvalRow::accuracy).average().orElse(Double.NaN));
      double[] acc = rows.stream().mapToDouble(EvalRow::accuracy).toArray();
      double[] truth = rows.stream().mapToDouble(r -> r.groundTruth() == null ? Double.NaN
          : r.groundTruth()).toArray();
      ObjectNode report = EvalReports.json(EvalReports.of(acc, truth, config.eval()));
      round.set("supernet_vs_ground_truth", report);
      finalReport = report;
    }
    e.set("final", finalReport);
    if (eval.truth() != null) {
      // The ranking the supernet should beat: the teacher's own, and every proxy's, on the same
      // archs.
      ObjectNode baselines = e.putObject("baselines_vs_ground_truth");
      if (in.teacher().isPresent() && eval.teacher() != null) {
        double[] v = new double[eval.archs().size()];
        for (int i = 0; i < v.length; i++) {
          v[i] = eval.teacher()[i] == null ? Double.NaN : eval.teacher()[i];
        }
        baselines.set("teacher", EvalReports.json(EvalReports.of(v, eval.truth(), config.eval())));
      }
      in.ranking().ifPresent(r -> {
        Map<String, ObjectNode> byColumn = new LinkedHashMap<>();
        for (String c : r.table().columnNames()) {
          double[] v = new double[eval.archs().size()];
          for (int i = 0; i < v.length; i++) {
            int row = r.table().rowOf(eval.archs().get(i));
            v[i] = row < 0 || !r.table().ok(row) ? Double.NaN : r.table().value(c, row);
          }
          byColumn.put(c, EvalReports.json(EvalReports.of(v, eval.truth(), config.eval())));
        }
        byColumn.forEach(baselines::set);
      });
    }
    return e;
  }
}
