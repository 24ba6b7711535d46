package org.rdnas.train;

import ai.djl.ndarray.NDManager;

/**
 * One worker's share of a round of K > 1 steps: local SGD with periodic averaging (Lin et al., "Don't
 * use large mini-batches, use local SGD", ICLR 2020). From the round's weights and momentum the worker
 * applies the K {@link Sgd} updates to its own copy, each with the mean gradient of its share of the
 * step's global batch (its whole micro-batches, divided by its own sample count) at the step's
 * learning rate; {@link TrainingState#applyRound} then averages the workers' weights and momentum.
 *
 * <p>With one worker a round is K plain steps bit for bit. With several it is not synchronous SGD:
 * within the round each worker follows the gradients of its own samples, and the workers meet once
 * per round instead of once per step.
 */
public final class LocalSgd {
  private LocalSgd() {}

  /**
   * The result of worker {@code worker} of {@code workers} for {@code round}, starting from
   * {@code weights} and {@code momentum} (not modified). Its NDArrays live in scopes under
   * {@code manager} that it closes.
   */
  public static RoundResult run(NDManager manager, GradientWorker gradients, float[] weights,
      float[] momentum, RoundPlan round, int worker, int workers) {
    float[] w = weights.clone();
    Sgd sgd = Sgd.restore(momentum, round.momentum(), round.weightDecay());
    int k = round.size();
    long[] counts = new long[k];
    double[] ceA = new double[k];
    double[] ceB = new double[k];
    double[] rank = new double[k];
    double[] loss = new double[k];
    for (int j = 0; j < k; j++) {
      GradientSum s = gradients.compute(manager, w, round.steps().get(j), worker, workers);
      if (s.count() > 0) {
        // Added to zero as the driver adds a plain step's sums: the same float operations, so that
        // one worker's round equals plain steps bit for bit.
        sgd.step(w, GradientSum.zero(w.length).add(s).meanGradient(), round.lr(j));
      }
      counts[j] = s.count();
      ceA[j] = s.ceASum();
      ceB[j] = s.ceBSum();
      rank[j] = s.rankSum();
      loss[j] = s.lossSum();
    }
    return new RoundResult(w, sgd.momentumBuffer(), counts, ceA, ceB, rank, loss);
  }
}
