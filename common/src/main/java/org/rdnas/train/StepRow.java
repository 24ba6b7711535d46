package org.rdnas.train;


/**
 * One row of {@code <output>/metrics}: what step {@code step} optimised and how long it took.
 * {@code computeSeconds} is the slowest worker's forward and backward time (the step's critical
 * path); {@code coordinationSeconds} is the rest of the step's wall time: planning, the weights
 * broadcast, task scheduling, result transfer, summing and the optimizer update on the driver. In a
 * round of K steps (one Spark job) both are the round's figures divided by K.
 *
 * @param step the step (0-based)
 * @param epoch its epoch (0-based)
 * @param archA subnet a
 * @param archB subnet b (null in SPOS mode)
 * @param preferred the teacher's choice, "a" or "b" (null in SPOS mode)
 * @param lambda weight of the ranking loss
 * @param lr learning rate applied
 * @param samples images in the step
 * @param ceA mean cross-entropy of subnet a
 * @param ceB mean cross-entropy of subnet b (null in SPOS mode)
 * @param rankLoss mean margin ranking loss (null in SPOS mode)
 * @param loss the step's objective, the loss its gradient is of: CE(a) + CE(b) + lambda R (CE(a)
 *     in SPOS mode), or the sandwich rule's (plus lambda R in RD-NAS mode) on a supernet trained by it
 * @param workers W
 * @param stepSeconds wall time of the whole step at the driver
 * @param computeSeconds the slowest worker's gradient computation
 * @param coordinationSeconds stepSeconds - computeSeconds
 * @param imagesPerSecond samples / stepSeconds
 */
public record StepRow(long step, int epoch, String archA, String archB, String preferred, double lambda,
    double lr, long samples, double ceA, Double ceB, Double rankLoss, double loss, int workers,
    double stepSeconds, double computeSeconds, double coordinationSeconds,
    double imagesPerSecond) {

  /** The row of {@code m}, its archs written by {@code code}. */
  public static StepRow of(StepMetrics m, int workers, long stepNanos, long computeNanos,
      java.util.function.LongFunction<String> code) {
    boolean pair = m.b() >= 0;
    double seconds = stepNanos / 1e9;
    double compute = Math.min(computeNanos, stepNanos) / 1e9;
    return new StepRow(m.step(), m.epoch(), code.apply(m.a()), pair ? code.apply(m.b()) : null,
        pair ? m.preferred().name().toLowerCase(java.util.Locale.ROOT) : null, m.lambda(), m.lr(),
        m.samples(), m.ceA(), pair ? m.ceB() : null, pair ? m.rank() : null, m.loss(), workers,
        seconds, compute, seconds - compute, m.samples() / seconds);
  }
}
