package org.rdnas.train;

import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The driver's progress lines, at most one every few seconds: epoch, step, the losses and
 * throughput averaged since the previous line, the split of step time into compute and
 * coordination, and the time left at this run's pace so far (evaluations included).
 */
public final class TrainProgress implements TrainingListener {
  private static final Logger LOG = LoggerFactory.getLogger(TrainProgress.class);

  private final long totalSteps;
  private final int epochs;
  private final long intervalNanos;
  private final long startNanos;
  private final long startStep;
  private long lastLogNanos;
  // Sums since the last line.
  private int steps;
  private double loss;
  private double ceA;
  private double ceB;
  private double rank;
  private double seconds;
  private double compute;
  private long samples;

  private final org.rdnas.config.EvalConfig evalConfig;

  /**
   * Progress of a run of {@code totalSteps} steps in {@code epochs} epochs from {@code startStep},
   * a line at most every {@code intervalSeconds}; evaluations are reported with {@code evalConfig}'s
   * k, bootstrap resamples and seed.
   */
  public TrainProgress(long totalSteps, int epochs, long startStep, double intervalSeconds,
      org.rdnas.config.EvalConfig evalConfig) {
    this.evalConfig = evalConfig;
    this.totalSteps = totalSteps;
    this.epochs = epochs;
    this.intervalNanos = (long) (intervalSeconds * 1e9);
    this.startNanos = System.nanoTime();
    this.lastLogNanos = startNanos;
    this.startStep = startStep;
  }

  @Override
  public void onStep(TrainingRun run, StepRow r) {
    step(r);
  }

  @Override
  public void onEvaluation(TrainingRun run, long version, java.util.List<EvalRow> rows) {
    double[] acc = rows.stream().mapToDouble(EvalRow::accuracy).toArray();
    double[] truth = rows.stream().mapToDouble(r -> r.groundTruth() == null ? Double.NaN
        : r.groundTruth()).toArray();
    boolean anyTruth = rows.stream().anyMatch(r -> r.groundTruth() != null);
    LOG.info(String.format(Locale.ROOT, "evaluation round %d at step %d (epoch %d): %d archs, "
            + "mean accuracy %.4f; %s", rows.get(0).round(), version, rows.get(0).epoch(),
        rows.size(), java.util.Arrays.stream(acc).average().orElse(Double.NaN),
        anyTruth ? EvalReports.line(EvalReports.of(acc, truth, evalConfig))
            : "no ground truth configured"));
  }

  /** Records a finished step; logs a line when the interval has passed or the run is done. */
  public void step(StepRow r) {
    steps++;
    loss += r.loss();
    ceA += r.ceA();
    ceB += r.ceB() == null ? 0 : r.ceB();
    rank += r.rankLoss() == null ? 0 : r.rankLoss();
    seconds += r.stepSeconds();
    compute += r.computeSeconds();
    samples += r.samples();
    long now = System.nanoTime();
    if (now - lastLogNanos >= intervalNanos || r.step() + 1 == totalSteps) {
      LOG.info(line(r, now));
      lastLogNanos = now;
      steps = 0;
      loss = ceA = ceB = rank = seconds = compute = 0;
      samples = 0;
    }
  }

  private String line(StepRow r, long now) {
    long done = r.step() + 1;
    double elapsed = (now - startNanos) / 1e9;
    double perStep = elapsed / Math.max(1, done - startStep);
    String losses = r.archB() == null
        ? String.format(Locale.ROOT, "loss %.4f", loss / steps)
        : String.format(Locale.ROOT, "loss %.4f (CE a %.4f, b %.4f, R %.4f x lambda %.3f)",
            loss / steps, ceA / steps, ceB / steps, rank / steps, r.lambda());
    return String.format(Locale.ROOT,
        "epoch %d/%d, step %d/%d (%.1f%%): %s, lr %.5f | %.0f img/s, step %.3f s = compute %.3f"
            + " + coordination %.3f (%.0f%%) | ETA %s",
        r.epoch() + 1, epochs, done, totalSteps, 100.0 * done / totalSteps, losses, r.lr(),
        samples / seconds, seconds / steps, compute / steps, (seconds - compute) / steps,
        100 * (seconds - compute) / seconds, duration(perStep * (totalSteps - done)));
  }

  public static String duration(double seconds) {
    long s = Math.round(seconds);
    if (s < 60) {
      return s + "s";
    }
    if (s < 3600) {
      return (s / 60) + "m " + (s % 60) + "s";
    }
    return (s / 3600) + "h " + (s % 3600 / 60) + "m";
  }
}
