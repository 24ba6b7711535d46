package org.rdnas.train;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonUnwrapped;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.ToDoubleFunction;
import org.apache.hadoop.fs.Path;
import org.rdnas.config.RdnasConfig;
import org.rdnas.config.TrainConfig;
import org.rdnas.io.Json;
import org.rdnas.io.RunProvenance;
import org.rdnas.rank.RankingReport;
import org.rdnas.util.Stats;

/**
 * Job 2's {@code summary.json}, one typed record: what ran ({@link RunProvenance}, its fields at
 * the top level), how far and how fast it trained, the final losses, and how well the supernet, its
 * teacher and every ranking-table column rank the eval archs against the ground truth, round by
 * round. Written and read with {@link Json#MAPPER}; non-finite figures are null. Built from the
 * journaled rows of every step ({@link #of}), so a resumed run's summary covers the whole run.
 *
 * @param provenance what ran, where and with what
 * @param mode "rdnas" or "spos"
 * @param resumedFromStep the step this run resumed at, or null for a run from step 0
 * @param resumedFrom the checkpoint file it resumed from (only when resumed)
 * @param training the run's size
 * @param throughput the speed of the steps this run trained (not a resumed run's earlier steps)
 * @param finalEpochLosses mean losses of the last epoch
 * @param rankingTable the ranking table read, if any
 * @param distill the distillation settings (RD-NAS only)
 * @param evaluation the evaluation rounds
 * @param search the search's best candidates, when the run searched
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record TrainingSummary(@JsonUnwrapped RunProvenance provenance, String mode,
    Long resumedFromStep, @JsonInclude(JsonInclude.Include.NON_NULL) String resumedFrom,
    Training training, Throughput throughput, Losses finalEpochLosses,
    @JsonInclude(JsonInclude.Include.NON_NULL) RankingTableInfo rankingTable,
    @JsonInclude(JsonInclude.Include.NON_NULL) Distill distill, Evaluation evaluation,
    @JsonInclude(JsonInclude.Include.NON_NULL) SearchSummary search) {

  /**
   * The search ({@link Search}): which candidates, how many, the combined rank's weight, the
   * architecture each method names ({@link Search#found}), what the search cost, the best
   * {@code rdnas.search.top-k} by combined rank, and the supernet's agreement with each column of
   * the ranking table over the candidates ({@link Search#agreement}; empty without a table).
   */
  public record SearchSummary(String candidates, int count, double supernetWeight,
      List<Search.Found> found, SearchCost cost, List<Search.Row> top,
      Map<String, Search.Agreement> agreement) {}

  /**
   * What a search cost, as NAS papers state it beside the architecture found.
   *
   * @param scoredArchs rows of the ranking table job 1 scored for the teacher (0 without a table)
   * @param trainingImages training images the supernet's steps saw (steps x batch size)
   * @param wallSeconds this run's wall time, training and search
   * @param cores the task slots the run had
   */
  public record SearchCost(long scoredArchs, long trainingImages, double wallSeconds, int cores) {}

  /** This summary with the search's answer. */
  public TrainingSummary withSearch(SearchSummary s) {
    return new TrainingSummary(provenance, mode, resumedFromStep, resumedFrom, training,
        throughput, finalEpochLosses, rankingTable, distill, evaluation, s);
  }

  /** The run's size and where its final weights are. */
  public record Training(long steps, long stepsThisRun, int epochs, long stepsPerEpoch,
      int batchSize, int microBatch, int workers, long parameters, String supernet, String data,
      String finalCheckpoint) {}

  /** Images per second and the split of step time into compute and coordination. */
  public record Throughput(Double imagesPerSecond, Double meanStepSeconds,
      Double meanComputeSeconds, Double meanCoordinationSeconds, Double coordinationFraction,
      Double medianStepSeconds, Double medianComputeSeconds, Double medianCoordinationSeconds,
      Double medianImagesPerSecond) {}

  /** Mean losses; {@code ceB} and {@code rankLoss} only in RD-NAS mode. */
  public record Losses(Double ceA,
      @JsonInclude(JsonInclude.Include.NON_NULL) Double ceB,
      @JsonInclude(JsonInclude.Include.NON_NULL) Double rankLoss, Double loss) {}

  /** The ranking table a run read, and its teacher columns and eligible rows when it has one. */
  public record RankingTableInfo(String path, long rows, int rowsInSpace,
      @JsonInclude(JsonInclude.Include.NON_NULL) List<String> teacher,
      @JsonInclude(JsonInclude.Include.NON_NULL) Integer eligibleRows) {}

  /** RD-NAS's settings: the margin sampler's threshold and the ranking loss's schedule. */
  public record Distill(double threshold, String lambda, double lambdaMax, String margin) {}

  /** The eval archs, how they were measured, and the rounds. */
  public record Evaluation(int archs, String archsSource, int heldOutImages, String bn,
      String groundTruth, List<Round> rounds, @JsonProperty("final") Report finalReport,
      @JsonInclude(JsonInclude.Include.NON_NULL)
      Map<String, Report> baselinesVsGroundTruth) {}

  /** One evaluation round: the supernet's mean accuracy and its ranking against ground truth. */
  public record Round(int round, long step, int epoch, Double meanAccuracy,
      Report supernetVsGroundTruth) {}

  /** A ranking's agreement with ground truth ({@link RankingReport}). */
  public record Report(int n, Tau kendallTauB, Double spearman, Double pearson, int k,
      Double precisionAtK, int bestTrueRankInTopK, int worstTrueRankInTopK) {

    /** {@code r}'s figures, or null for null (fewer than two archs with both values). */
    public static Report of(RankingReport r) {
      return r == null ? null : new Report(r.n(), new Tau(Json.finite(r.kendallTau().estimate()),
          Json.finite(r.kendallTau().lower()), Json.finite(r.kendallTau().upper()),
          r.kendallTau().resamples()), Json.finite(r.spearman()), Json.finite(r.pearson()), r.k(),
          Json.finite(r.precisionAtK()), r.bestTrueRankInTopK(), r.worstTrueRankInTopK());
    }
  }

  /** Kendall tau-b with its bootstrap 95% interval. */
  public record Tau(Double estimate, Double ci95Lower, Double ci95Upper, int bootstrapResamples) {}

  /**
   * The inputs a summary describes.
   *
   * @param data one line on the training and held-out images
   * @param heldOutImages images evaluated on
   * @param recalibrationImages training images BN is recalibrated on, 0 for batch statistics
   * @param truthSource where the ground truth comes from, or null without it
   * @param ranking the ranking table, if one was read
   * @param teacher the teacher over it, if any
   * @param resumedFrom the checkpoint file the run resumed from, if it did
   */
  public record Inputs(String data, int heldOutImages, int recalibrationImages,
      String truthSource, Optional<Ranking> ranking, Optional<Teacher> teacher,
      Optional<String> resumedFrom) {}

  /** A ranking table a run read: its path, rows, and the rows in the search space. */
  public record Ranking(String path, long rows, RankingTable table) {}

  /** Reads a summary written by {@link #write}. */
  public static TrainingSummary read(InputStream in) throws IOException {
    return Json.MAPPER.readValue(in, TrainingSummary.class);
  }

  /** The summary as indented JSON. */
  public byte[] toJson() throws IOException {
    return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(this);
  }

  /**
   * The headline figures for a person reading the job's end, one per line: what trained, the
   * final Kendall tau-b with its 95% interval (and the teacher's on the same archs) when there is
   * ground truth, the final mean accuracy and the throughput.
   */
  public String headline() {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "%s training: %d steps (%d epochs x %d steps of %d "
            + "images), supernet %s, %,d parameters%n", mode, training.steps(), training.epochs(),
        training.stepsPerEpoch(), training.batchSize(), training.supernet(),
        training.parameters()));
    Report last = evaluation.finalReport();
    if (last != null && last.kendallTauB().estimate() != null) {
      Tau tau = last.kendallTauB();
      sb.append(String.format(Locale.ROOT, "final Kendall tau-b %.3f%s over %d eval archs vs %s",
          tau.estimate(), tau.ci95Lower() == null ? "" : String.format(Locale.ROOT,
              " (95%% interval %.3f to %.3f)", tau.ci95Lower(), tau.ci95Upper()),
          last.n(), evaluation.groundTruth()));
      Report teacher = evaluation.baselinesVsGroundTruth() == null ? null
          : evaluation.baselinesVsGroundTruth().get("teacher");
      if (teacher != null && teacher.kendallTauB().estimate() != null) {
        sb.append(String.format(Locale.ROOT, "; the teacher's own ranking %.3f",
            teacher.kendallTauB().estimate()));
      }
      sb.append(String.format(Locale.ROOT, "%n"));
    } else if (last != null) {
      sb.append(String.format("Kendall tau-b undefined over %d eval archs vs %s: their "
          + "accuracies or true values tie (a supernet trained briefly may not tell them apart)%n", last.n(),
          evaluation.groundTruth()));
    } else {
      sb.append(String.format("no Kendall tau: no ground truth for the %d eval archs "
          + "(set rdnas.ground-truth.path)%n", evaluation.archs()));
    }
    Round finalRound = evaluation.rounds().isEmpty() ? null
        : evaluation.rounds().get(evaluation.rounds().size() - 1);
    if (finalRound != null && finalRound.meanAccuracy() != null) {
      sb.append(String.format(Locale.ROOT, "mean accuracy of the %d eval archs %.2f%% on %d "
              + "held-out images (round %d, epoch %d)%n", evaluation.archs(),
          100 * finalRound.meanAccuracy(), evaluation.heldOutImages(), finalRound.round(),
          finalRound.epoch()));
    }
    if (throughput.imagesPerSecond() != null) {
      sb.append(String.format(Locale.ROOT, "throughput %.1f images/s", throughput
          .imagesPerSecond()));
      if (throughput.coordinationFraction() != null) {
        sb.append(String.format(Locale.ROOT, ", coordination %.0f%% of step time",
            100 * throughput.coordinationFraction()));
      }
      sb.append(String.format("%n"));
    }
    if (provenance.wallSeconds() != null) {
      sb.append(String.format(Locale.ROOT, "wall time %.0f s%n", provenance.wallSeconds()));
    }
    return sb.toString();
  }

  /** The summary of {@code run}, from the journaled rows of all its steps and evaluations. */
  public static TrainingSummary of(RdnasConfig config, TrainingRun run, RunProvenance provenance,
      Inputs in, List<StepRow> metrics, List<EvalRow> evals, String finalCheckpoint) {
    TrainConfig t = config.train();
    StepPlanner planner = run.state().planner();
    long startStep = run.startStep();
    boolean rdnas = t.mode() == TrainConfig.Mode.RDNAS;
    Training training = new Training(planner.totalSteps(), planner.totalSteps() - startStep,
        t.epochs(), planner.stepsPerEpoch(), t.batchSize(), planner.microBatch(), t.workers(),
        run.state().parameterCount(),
        config.space().name().isNb201()
            ? "C=" + config.space().channels() + ", N=" + config.space().cells()
            : config.space().searchSpace().toString(), in.data(),
        finalCheckpoint);

    List<StepRow> mine = metrics.stream().filter(r -> r.step() >= startStep).toList();
    double stepSum = mine.stream().mapToDouble(StepRow::stepSeconds).sum();
    double computeSum = mine.stream().mapToDouble(StepRow::computeSeconds).sum();
    int n = mine.size();
    // Medians leave out the first steps' one-off costs (loading images on executors, JIT).
    Throughput throughput = new Throughput(
        Json.finite(run.samples() / (run.trainNanos() / 1e9)),
        Json.finite(stepSum / n), Json.finite(computeSum / n),
        Json.finite((stepSum - computeSum) / n), Json.finite((stepSum - computeSum) / stepSum),
        median(mine, StepRow::stepSeconds), median(mine, StepRow::computeSeconds),
        median(mine, StepRow::coordinationSeconds), median(mine, StepRow::imagesPerSecond));

    List<StepRow> last = metrics.stream().filter(r -> r.epoch() == t.epochs() - 1).toList();
    Losses losses = new Losses(mean(last, StepRow::ceA),
        rdnas ? mean(last, r -> r.ceB() == null ? Double.NaN : r.ceB()) : null,
        rdnas ? mean(last, r -> r.rankLoss() == null ? Double.NaN : r.rankLoss()) : null,
        mean(last, StepRow::loss));

    RankingTableInfo table = in.ranking().map(r -> new RankingTableInfo(r.path(), r.rows(),
        r.table().size(), in.teacher().map(Teacher::columns).orElse(null),
        in.teacher().map(Teacher::eligibleCount).orElse(null))).orElse(null);
    Distill distill = rdnas ? new Distill(config.distill().threshold(),
        config.distill().lambda().configName(), config.distill().lambdaMax(),
        config.distill().margin().configName()) : null;
    return new TrainingSummary(provenance, t.mode().configName(),
        startStep > 0 ? startStep : null,
        startStep > 0 ? in.resumedFrom().orElse("") : null,
        training, throughput, losses, table, distill,
        evaluation(config, run.eval().orElseThrow(), in, evals), null);
  }

  private static Double mean(List<StepRow> rows, ToDoubleFunction<StepRow> f) {
    return Json.finite(rows.stream().mapToDouble(f).average().orElse(Double.NaN));
  }

  private static Double median(List<StepRow> rows, ToDoubleFunction<StepRow> f) {
    return Json.finite(Stats.median(rows.stream().mapToDouble(f).toArray()));
  }

  private static Evaluation evaluation(RdnasConfig config, EvalArchs eval, Inputs in,
      List<EvalRow> evals) {
    Map<Integer, List<EvalRow>> byRound = new TreeMap<>();
    for (EvalRow r : evals) {
      byRound.computeIfAbsent(r.round(), k -> new ArrayList<>()).add(r);
    }
    List<Round> rounds = new ArrayList<>();
    for (List<EvalRow> rows : byRound.values()) {
      EvalRow first = rows.get(0);
      double[] acc = rows.stream().mapToDouble(EvalRow::accuracy).toArray();
      double[] truth = rows.stream().mapToDouble(r -> r.groundTruth() == null ? Double.NaN
          : r.groundTruth()).toArray();
      rounds.add(new Round(first.round(), first.step(), first.epoch(),
          Json.finite(java.util.Arrays.stream(acc).average().orElse(Double.NaN)),
          Report.of(EvalReports.of(acc, truth, config.eval()))));
    }
    Map<String, Report> baselines = null;
    if (eval.truth() != null) {
      // The rankings the supernet should beat: the teacher's own, and every proxy's, on the same
      // archs.
      baselines = new LinkedHashMap<>();
      if (in.teacher().isPresent() && eval.teacher() != null) {
        double[] v = new double[eval.archs().size()];
        for (int i = 0; i < v.length; i++) {
          v[i] = eval.teacher()[i] == null ? Double.NaN : eval.teacher()[i];
        }
        baselines.put("teacher", Report.of(EvalReports.of(v, eval.truth(), config.eval())));
      }
      if (in.ranking().isPresent()) {
        RankingTable table = in.ranking().get().table();
        for (String c : table.columnNames()) {
          double[] v = new double[eval.archs().size()];
          for (int i = 0; i < v.length; i++) {
            int row = table.rowOf(eval.archs().get(i));
            v[i] = row < 0 || !table.ok(row) ? Double.NaN : table.value(c, row);
          }
          baselines.put(c, Report.of(EvalReports.of(v, eval.truth(), config.eval())));
        }
      }
    }
    return new Evaluation(eval.archs().size(), config.eval().archsFileIfSet()
        .map(f -> "file " + f).orElse("sample with seed " + config.eval().seed()),
        in.heldOutImages(), in.recalibrationImages() > 0
            ? "recalibrated on " + in.recalibrationImages() + " training images"
            : "batch statistics", in.truthSource(), rounds,
        rounds.isEmpty() ? null : rounds.get(rounds.size() - 1).supernetVsGroundTruth(),
        baselines);
  }

  /**
   * What job 2 prints on stdout at its end, as job 1 does: where the outputs are, the headline
   * figures ({@link TrainingSummary#headline}) and the command to run next (the notebooks).
   */
  public String endOfRun(Path root, Optional<Path> report, Optional<String> groundTruth) {
    TrainingSummary summary = this;
    StringBuilder sb = new StringBuilder("\n");
    sb.append(String.format("distill-train: outputs in %s%n", root));
    sb.append(summary.headline().indent(2));
    if (summary.search() != null && !summary.search().top().isEmpty()) {
      SearchSummary s = summary.search();
      sb.append(String.format(java.util.Locale.ROOT, "  search over %d candidates (%s); the top %d "
          + "in search/ and summary.json; the best by%n", s.count(), s.candidates(), s.top().size()));
      for (Search.Found f : s.found()) {
        sb.append(String.format(java.util.Locale.ROOT, "    %-8s %s, supernet accuracy %.4f%s%n",
            f.method(), f.arch(), f.supernetAccuracy(), f.testAcc() != null
                ? String.format(java.util.Locale.ROOT, ", test_acc %.2f%%, valid_test_acc %.2f%%%s",
                    f.testAcc(), f.validTestAcc(), f.trueRank() == null ? ""
                        : " (rank " + f.trueRank() + " of the space)")
                : f.groundTruth() == null ? "" : String.format(java.util.Locale.ROOT,
                    ", true accuracy %.2f (rank %d of the space)", f.groundTruth(), f.trueRank())));
      }
      if (!s.agreement().isEmpty()) {
        sb.append("  the supernet's agreement with the ranking table's columns (Kendall tau):");
        s.agreement().forEach((column, a) -> sb.append(String.format(java.util.Locale.ROOT,
            " %s %s", column, a.kendallTau() == null ? "n/a" : String.format(java.util.Locale.ROOT,
                "%+.3f", a.kendallTau()))));
        sb.append(String.format("%n"));
      }
    }
    sb.append(String.format("  summary.json (every figure), metrics/ (one row per step), eval/ "
        + "(one row per eval arch and round), checkpoints/ (final: %s)%n",
        new Path(summary.training().finalCheckpoint()).getName()));
    report.ifPresent(index -> sb.append(String.format("  report (plots): %s%n", index)));
    String run = localPath(root);
    sb.append("  next: the notebooks over this run (notebooks/setup makes their Python once):\n");
    // The notebooks resolve relative paths against notebooks/, so the ground truth goes absolute.
    String truth = groundTruth.map(g -> " RDNAS_GROUND_TRUTH=" + (new Path(g).toUri().getScheme()
        == null ? new java.io.File(g).getAbsolutePath() : localPath(new Path(g)))).orElse("");
    sb.append(String.format("    RDNAS_RUN=%s RDNAS_RUNS=%s%s \\%n      \"$(notebooks/setup)\" "
        + "notebooks/execute.py target/notebooks notebooks/0*.ipynb%n", run, run, truth));
    return sb.toString();
  }

  /** A local path without its file: scheme, as Python wants it; other paths as they are. */
  private static String localPath(Path p) {
    return "file".equals(p.toUri().getScheme()) ? p.toUri().getPath() : p.toString();
  }
}
