package org.rdnas.train;

/**
 * Training produced a non-finite value: a loss, the summed gradient or the updated weights. Thrown by
 * {@link TrainingState} before the bad values can reach a checkpoint or an evaluation, so the last
 * checkpoint written stays the run's resume point. The message names the step, the losses and the
 * learning rate, which is what a user needs to pick a smaller one.
 */
public final class TrainingDivergedException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final long step;

  public TrainingDivergedException(long step, String message) {
    super(message);
    this.step = step;
  }

  /** The step whose update was refused. */
  public long step() {
    return step;
  }
}
