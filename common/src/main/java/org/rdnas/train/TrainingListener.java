package org.rdnas.train;

import java.io.IOException;
import java.util.List;

/**
 * Hears a {@link TrainingRun}'s events, as DJL's {@code TrainingListener}s hear
 * {@code EasyTrain.fit}: journals, checkpoints, progress lines and stop requests are listeners, so
 * the loop stays one short method whoever computes the steps. A listener that throws stops the run.
 */
public interface TrainingListener {

  /** Before the round that starts at step {@code step}. */
  default void beforeRound(TrainingRun run, long step) {}

  /** After each step, with its metrics row. */
  default void onStep(TrainingRun run, StepRow row) throws IOException {}

  /** After an evaluation of weights version {@code version}, with its rows. */
  default void onEvaluation(TrainingRun run, long version, List<EvalRow> rows)
      throws IOException {}

  /** At a round end where a checkpoint falls, after the round's evaluation. */
  default void onCheckpoint(TrainingRun run, long version) throws IOException {}
}
