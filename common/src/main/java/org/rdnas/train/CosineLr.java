package org.rdnas.train;

/**
 * The cosine learning-rate schedule of the authors' runs, PyTorch's
 * {@code CosineAnnealingLR(T_max = E, eta_min = lrMin)} stepped once per epoch:
 * lr(e) = lrMin + (lr - lrMin) (1 + cos(pi e / E)) / 2 for epoch e (0-based), constant within an epoch.
 */
public record CosineLr(double lr, double lrMin, int epochs) {

  public CosineLr {
    if (!(lr > 0) || Double.isInfinite(lr)) {
      throw new IllegalArgumentException("lr must be finite and > 0, got " + lr);
    }
    if (!(lrMin >= 0 && lrMin <= lr)) {
      throw new IllegalArgumentException("lr-min must be in [0, lr = " + lr + "], got " + lrMin);
    }
    if (epochs < 1) {
      throw new IllegalArgumentException("epochs must be >= 1, got " + epochs);
    }
  }

  /** The learning rate during epoch {@code epoch}. */
  public double at(int epoch) {
    if (epoch < 0) {
      throw new IllegalArgumentException("epoch must be >= 0, got " + epoch);
    }
    return lrMin + (lr - lrMin) * (1 + Math.cos(Math.PI * epoch / epochs)) / 2;
  }
}
