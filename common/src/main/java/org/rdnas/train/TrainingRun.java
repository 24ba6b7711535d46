package org.rdnas.train;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One RD-NAS or SPOS training run: the loop that plans each round of its {@link TrainingState},
 * has its {@link Workers} compute it, combines their results in worker order and applies them,
 * evaluates the eval archs every E epochs and at the end, and tells its
 * {@link TrainingListener}s (journals and checkpoints, progress, stop requests). The in-process
 * workers and the Spark ones drive this same loop, so both compute the same run bit for bit.
 *
 * <p>Rounds never cross an epoch end, so every evaluation point is a round end; a checkpoint falls
 * at the first round end at or after each multiple of {@code checkpointEvery}, and at the end.
 */
public final class TrainingRun {
  private final TrainingState state;
  private final Workers workers;
  private final List<TrainingListener> listeners;
  private final EvalArchs eval;
  private final List<Long> evalPoints;
  private final int checkpointEvery;
  private final long startStep;
  private long trainNanos;
  private long samples;
  private boolean evaluatedAtEnd;

  private TrainingRun(Builder b) {
    this.state = b.state;
    this.workers = b.workers;
    this.listeners = List.copyOf(b.listeners);
    this.eval = b.eval;
    this.evalPoints = eval == null ? List.of() : eval.points(state.planner());
    this.checkpointEvery = b.checkpointEvery;
    this.startStep = state.step();
    this.evaluatedAtEnd = b.evaluatedAtEnd;
  }

  /** A run of {@code state} on {@code workers}; add evaluation, checkpoints and listeners. */
  public static Builder builder(TrainingState state, Workers workers) {
    return new Builder(state, workers);
  }

  public TrainingState state() {
    return state;
  }

  /** The step this run started at: 0, or the step of the checkpoint it resumed from. */
  public long startStep() {
    return startStep;
  }

  /** The eval archs, when the run evaluates. */
  public Optional<EvalArchs> eval() {
    return Optional.ofNullable(eval);
  }

  /** Images this run trained on so far, and the wall time of its rounds. */
  public long samples() {
    return samples;
  }

  public long trainNanos() {
    return trainNanos;
  }

  /** Runs rounds until training is done, then the final evaluation if it is still missing. */
  public void run() {
    while (!state.done()) {
      round();
    }
    long total = state.planner().totalSteps();
    if (eval != null && !evaluatedAtEnd) {
      // A resumed run that had finished training but not its final evaluation.
      evaluate(total);
    }
  }

  /**
   * Runs whole rounds until {@code steps} more steps are done (more when that falls inside a
   * round, fewer when the run ends first).
   */
  public List<StepMetrics> run(long steps) {
    List<StepMetrics> out = new ArrayList<>();
    while (out.size() < steps && !state.done()) {
      out.addAll(round());
    }
    return out;
  }

  /** Runs the next round ({@link TrainingState#planRound}); one metrics row per step. */
  public List<StepMetrics> round() {
    long v = state.step();
    listeners.forEach(l -> l.beforeRound(this, v));
    long begin = System.nanoTime();
    RoundPlan round = state.planRound();
    List<StepMetrics> applied;
    long computeNanos;
    if (round.local()) {
      Workers.Timed<List<RoundResult>> r =
          workers.round(round, v, state::weights, state::momentum);
      applied = state.applyRound(round, r.value());
      computeNanos = r.maxComputeNanos();
    } else {
      StepPlan plan = round.steps().get(0);
      ParamSlice slice = ParamSlice.of(workers.network(), plan);
      Workers.Timed<List<GradientSum>> r =
          workers.step(plan, slice, v, () -> slice.gather(state.weights()));
      applied = List.of(state.apply(plan, slice.scatter(sumInWorkerOrder(r.value(), slice))));
      computeNanos = r.maxComputeNanos();
    }
    long roundNanos = System.nanoTime() - begin;
    trainNanos += roundNanos;
    for (StepMetrics m : applied) {
      samples += m.samples();
      // A round's wall and compute time are shared evenly by its steps.
      StepRow row = StepRow.of(m, workers.count(), roundNanos / applied.size(),
          computeNanos / applied.size(), workers.network()::code);
      notify(l -> l.onStep(this, row));
    }
    long next = state.step();
    if (evalPoints.contains(next)) {
      evaluate(next);
    }
    if (checkpointEvery > 0
        && (next / checkpointEvery != v / checkpointEvery || state.done())) {
      notify(l -> l.onCheckpoint(this, next));
    }
    return applied;
  }

  /**
   * The total of the workers' sums, added in worker order: float addition is not associative, and
   * a fixed order is what makes a run bit-for-bit reproducible whichever worker finishes first.
   */
  private static GradientSum sumInWorkerOrder(List<GradientSum> byWorker, ParamSlice slice) {
    GradientSum total = GradientSum.zero(slice.size());
    for (GradientSum s : byWorker) {
      total = total.add(s);
    }
    return total;
  }

  private void evaluate(long version) {
    List<SubnetEvaluator.Result> results = workers.evaluate(eval.ids(), version, state::weights);
    if (results.size() != eval.archs().size()) {
      throw new IllegalStateException("evaluation returned " + results.size()
          + " results for " + eval.archs().size() + " archs");
    }
    int round = evalPoints.indexOf(version);
    int epoch = (int) (version / state.planner().stepsPerEpoch());
    List<EvalRow> rows = eval.rows(round, version, epoch, results, workers.network()::code);
    if (version == state.planner().totalSteps()) {
      evaluatedAtEnd = true;
    }
    notify(l -> l.onEvaluation(this, version, rows));
  }

  private interface Event {
    void to(TrainingListener l) throws IOException;
  }

  private void notify(Event e) {
    for (TrainingListener l : listeners) {
      try {
        e.to(l);
      } catch (IOException x) {
        throw new UncheckedIOException(x);
      }
    }
  }

  /** Builds a {@link TrainingRun}; every {@code opt*} setting has a default. */
  public static final class Builder {
    private final TrainingState state;
    private final Workers workers;
    private final List<TrainingListener> listeners = new ArrayList<>();
    private EvalArchs eval;
    private int checkpointEvery;
    private boolean evaluatedAtEnd;

    private Builder(TrainingState state, Workers workers) {
      this.state = Objects.requireNonNull(state, "state");
      this.workers = Objects.requireNonNull(workers, "workers");
      int size = new ParamLayout(workers.network()).size();
      if (size != state.parameterCount()) {
        throw new IllegalArgumentException("the workers' network has " + size
            + " parameters, the training state "
            + state.parameterCount());
      }
    }

    /** Listeners, told of events in the order given. */
    public Builder optListeners(TrainingListener... more) {
      listeners.addAll(Arrays.asList(more));
      return this;
    }

    /** Evaluates {@code archs} at their points (default: no evaluation). */
    public Builder optEvaluation(EvalArchs archs) {
      this.eval = archs;
      return this;
    }

    /** Tells listeners of a checkpoint every {@code steps} steps and at the end (default: never). */
    public Builder optCheckpointEvery(int steps) {
      if (steps < 1) {
        throw new IllegalArgumentException("checkpoint every must be >= 1 step, got " + steps);
      }
      this.checkpointEvery = steps;
      return this;
    }

    /** Whether a resumed run's final evaluation already exists (default: false). */
    public Builder optFinalEvaluationDone(boolean done) {
      this.evaluatedAtEnd = done;
      return this;
    }

    public TrainingRun build() {
      return new TrainingRun(this);
    }
  }
}
