package org.rdnas.train;


/**
 * What one applied step did, for the metrics table and progress lines: losses are means over the
 * step's samples (each micro-batch's value weighted by its size).
 *
 * @param step the step (0-based)
 * @param epoch its epoch
 * @param lr the learning rate applied
 * @param lambda weight of the ranking loss (0 in SPOS mode)
 * @param samples images in the step
 * @param ceA mean cross-entropy of subnet a
 * @param ceB mean cross-entropy of subnet b (0 in SPOS mode)
 * @param rank mean margin ranking loss R (0 in SPOS mode)
 * @param loss mean loss L, the one the step's gradient is of: CE(a) + CE(b) + lambda R (CE(a) in
 *     SPOS mode), or the sandwich rule's on a supernet trained by it ({@link SandwichStep})
 * @param a subnet a's id
 * @param b subnet b's id, -1 in SPOS mode
 * @param preferred the teacher's preference, null in SPOS mode
 */
public record StepMetrics(long step, int epoch, double lr, double lambda, long samples, double ceA,
    double ceB, double rank, double loss, long a, long b, Preference preferred) {}
