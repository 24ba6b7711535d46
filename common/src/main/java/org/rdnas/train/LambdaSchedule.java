package org.rdnas.train;

import java.util.Objects;
import org.rdnas.config.DistillConfig;

/**
 * The weight lambda(e) of the ranking loss at epoch e (0-based) of E:
 * SIN = max * sin(0.8 pi e / E) (the authors', max = 2), CONSTANT = max, LINEAR = min(max, e / 10).
 * The epoch is an integer, so lambda is constant within an epoch as in the authors' loop.
 */
public record LambdaSchedule(DistillConfig.Schedule kind, double max, int epochs) {

  public LambdaSchedule {
    Objects.requireNonNull(kind, "schedule");
    if (!(max >= 0) || Double.isInfinite(max)) {
      throw new IllegalArgumentException("lambda max must be finite and >= 0, got " + max);
    }
    if (epochs < 1) {
      throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
    }
  }

  /** The schedule of {@code distill} over {@code epochs}. */
  public static LambdaSchedule of(DistillConfig distill, int epochs) {
    return new LambdaSchedule(distill.lambda(), distill.lambdaMax(), epochs);
  }

  /** lambda at epoch {@code epoch} (0-based). */
  public double at(int epoch) {
    if (epoch < 0) {
      throw new IllegalArgumentException("epoch must be >= 0, got " + epoch);
    }
    return switch (kind) {
      case SIN -> max * Math.sin(0.8 * Math.PI * epoch / epochs);
      case CONSTANT -> max;
      case LINEAR -> Math.min(max, epoch / 10.0);
    };
  }
}
