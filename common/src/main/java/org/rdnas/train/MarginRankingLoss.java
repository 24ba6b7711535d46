package org.rdnas.train;

import ai.djl.ndarray.NDArray;
import java.util.Objects;
import org.rdnas.config.DistillConfig;
import org.rdnas.nn.Autograd;

/**
 * RD-NAS's margin ranking loss on the cross-entropies of a pair (a, b), as the authors' code writes
 * it: R = relu(CE_b - CE_a.detach() + m) when the teacher prefers b, and
 * R = relu(CE_a.detach() - CE_b + m) when it prefers a. a is the anchor: only b's loss receives a
 * gradient, pushed down when b should rank higher and up when it should rank lower, until the pair
 * is ordered with margin m.
 *
 * <p>The margin is 0 (the authors' code) or taken from the group distance (the paper's idea):
 * m = scale * GD(a, b) / 12, so it grows with how different the pair is and never exceeds
 * {@code scale}. The default scale {@value #DEFAULT_MARGIN_SCALE} keeps m (0.056 to 0.1 at the
 * default threshold 6.7) within the usual CE gap between subnets: a margin larger than every gap
 * would keep the hinge always on, and with lambda up to 2 the sum CE_b - lambda * CE_b of a pair
 * where a is preferred would then be gradient ascent on b.
 */
public final class MarginRankingLoss {
  /** Default scale of the group-distance margin. */
  public static final double DEFAULT_MARGIN_SCALE = 0.1;

  private final DistillConfig.Margin kind;
  private final double scale;

  private MarginRankingLoss(DistillConfig.Margin kind, double scale) {
    this.kind = kind;
    this.scale = scale;
  }

  /** The loss with margin {@code kind} and the default scale. */
  public static MarginRankingLoss of(DistillConfig.Margin kind) {
    return of(kind, DEFAULT_MARGIN_SCALE);
  }

  /** The loss with margin {@code kind}; {@code scale} is m at the largest group distance, 12. */
  public static MarginRankingLoss of(DistillConfig.Margin kind, double scale) {
    Objects.requireNonNull(kind, "margin kind");
    if (!(scale >= 0) || Double.isInfinite(scale)) {
      throw new IllegalArgumentException("margin scale must be finite and >= 0, got " + scale);
    }
    return new MarginRankingLoss(kind, scale);
  }

  public DistillConfig.Margin kind() {
    return kind;
  }

  public double scale() {
    return scale;
  }

  /** m for a pair at group distance {@code groupDistance}. */
  public double margin(double groupDistance) {
    return switch (kind) {
      case ZERO -> 0;
      case GROUP_DISTANCE -> scale * groupDistance / DistillConfig.MAX_GROUP_DISTANCE;
    };
  }

  /**
   * R for scalar losses {@code lossA} (detached here) and {@code lossB}, the teacher's preference and
   * margin {@code m}; a scalar array whose gradient reaches {@code lossB} only.
   */
  public static NDArray of(NDArray lossA, NDArray lossB, Preference preferred, double m) {
    NDArray anchor = lossA.stopGradient();
    NDArray z = preferred == Preference.B ? lossB.sub(anchor) : anchor.sub(lossB);
    return Autograd.atLeast(z.add((float) m), 0);
  }

  /** R on plain numbers, for reporting and tests. */
  public static double value(double lossA, double lossB, Preference preferred, double m) {
    double z = preferred == Preference.B ? lossB - lossA : lossA - lossB;
    return Math.max(0, z + m);
  }
}
