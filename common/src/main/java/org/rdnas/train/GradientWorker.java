package org.rdnas.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.rdnas.config.TrainConfig;
import org.rdnas.data.BatchAssembler;
import org.rdnas.nn.Autograd;
import org.rdnas.nn.CrossEntropy;
import org.rdnas.nn.ForwardOptions;
import org.rdnas.nn.ParamSpec;
import org.rdnas.nn.Supernet;
import org.rdnas.nn.Weights;

/**
 * One worker's share of a training step: forward and backward of the step's subnet(s) on whole
 * micro-batches of the global batch, returning gradient sums.
 *
 * <p>Semantics. For micro-batch j of n_j samples, with BN on that micro-batch's statistics,
 * L_j = CE_j(a) + CE_j(b) + lambda R_j in RD-NAS mode, where CE_j is the micro-batch's mean
 * cross-entropy and R_j the {@link MarginRankingLoss} on those two means (per batch, as the authors
 * compute it), and L_j = CE_j(a) in SPOS mode. On a supernet trained by the sandwich rule
 * ({@link Supernet#sandwich()}) L_j is {@link SandwichStep}'s loss instead, with the same pair. The step minimises sum_j (n_j / B) L_j; a worker returns
 * sum over its micro-batches of n_j grad L_j, and the driver divides the total by B. A micro-batch is
 * computed the same way whichever worker takes it, so W workers give the update of one, up to the
 * order of float additions. With one micro-batch of B samples this is exactly the authors' step.
 *
 * <p>Thread-safe: every call works in its own NDManager scope under {@code parent}, which it closes,
 * and uses the calling thread's grad mode only ({@link Autograd}).
 */
public final class GradientWorker {
  private final Supernet network;
  private final BatchAssembler data;
  private final ParamLayout layout;

  public GradientWorker(Supernet network, BatchAssembler data) {
    this.network = Objects.requireNonNull(network, "network");
    this.data = Objects.requireNonNull(data, "data");
    this.layout = new ParamLayout(network);
  }

  public Supernet network() {
    return network;
  }

  /** Parameters of the supernet, the length of the flat weight and gradient vectors. */
  public int parameterCount() {
    return layout.size();
  }

  /** The parameters {@code plan} uses: what {@link #computeSlice} takes and returns. */
  public ParamSlice slice(StepPlan plan) {
    return layout.slice(plan);
  }

  /**
   * The gradient sums of worker {@code worker} of {@code workers} for {@code plan}, from and over
   * the whole flat vector: {@link #computeSlice} on {@code plan}'s {@link #slice}, scattered.
   */
  public GradientSum compute(NDManager parent, float[] weights, StepPlan plan, int worker, int workers) {
    ParamSlice slice = slice(plan);
    return slice.scatter(computeSlice(parent, slice.gather(weights), plan, worker, workers));
  }

  /**
   * The gradient sums of worker {@code worker} of {@code workers} for {@code plan} over its
   * {@link #slice}, from {@code sliceWeights}, the slice's values of the weights.
   */
  public GradientSum computeSlice(NDManager parent, float[] sliceWeights, StepPlan plan, int worker,
      int workers) {
    int[] range = plan.microBatchRange(worker, workers);
    return computeMicroBatches(parent, sliceWeights, plan, range[0], range[1]);
  }

  /** As {@link #computeSlice}, for micro-batches {@code from} (inclusive) to {@code to} (exclusive). */
  private GradientSum computeMicroBatches(NDManager parent, float[] sliceWeights, StepPlan plan,
      int from, int to) {
    ParamSlice slice = slice(plan);
    slice.check(sliceWeights, "the step's weights");
    if (from < 0 || to > plan.microBatches() || from > to) {
      throw new IllegalArgumentException("micro-batches " + from + ".." + to + " of "
          + plan.microBatches());
    }
    if (from == to) {
      return GradientSum.zero(slice.size());
    }
    boolean rdnas = plan.mode() == TrainConfig.Mode.RDNAS;
    boolean sandwich = network.sandwich() != null;
    long a = plan.archIdA();
    long b = plan.archIdB();
    List<ParamSpec> specs = slice.specs();
    ForwardOptions train = ForwardOptions.train();
    double ceA = 0;
    double ceB = 0;
    double rank = 0;
    double loss = 0;
    long count = 0;
    float[] gradient = new float[slice.size()];
    try (NDManager scope = parent.newSubManager();
        Weights w = Weights.fromFlat(scope, specs, sliceWeights, DataType.FLOAT32)) {
      List<NDArray> leaves = new ArrayList<>(w.arrays());
      try (Autograd.Scope g = Autograd.enable()) {
        Autograd.requireGrad(leaves);
        for (int j = from; j < to; j++) {
          int[] idx = plan.microBatchIndices(j);
          int n = idx.length;
          // One scope per micro-batch: its activations are freed once its backward has run.
          try (NDManager mb = scope.newSubManager()) {
            NDList batch = data.toNDList(mb, idx, plan.augment(), plan.augmentSeed(), plan.step());
            NDArray x = batch.get(0);
            NDArray y = batch.get(1);
            NDArray lossA;
            NDArray total;
            if (sandwich) {
              SandwichStep.Losses l = SandwichStep.losses(network, w, x, y,
                  rdnas ? plan.archIdRandom() : a, a, b, plan.preferred(), plan.margin(),
                  plan.lambda());
              lossA = l.ceA();
              total = l.total();
              if (rdnas) {
                ceB += (double) n * l.ceB().getFloat();
                rank += (double) n * l.rank().getFloat();
              }
            } else {
              NDArray[] logits = rdnas ? network.forwardPair(w, a, b, x, train)
                  : new NDArray[] {network.forward(w, a, x, train)};
              lossA = CrossEntropy.mean(logits[0], y);
              total = lossA;
              if (rdnas) {
                NDArray lossB = CrossEntropy.mean(logits[1], y);
                NDArray r = MarginRankingLoss.of(lossA, lossB, plan.preferred(), plan.margin());
                total = lossA.add(lossB).add(Autograd.times(r, plan.lambda()));
                ceB += (double) n * lossB.getFloat();
                rank += (double) n * r.getFloat();
              }
            }
            ceA += (double) n * lossA.getFloat();
            loss += (double) n * total.getFloat();
            Autograd.backward(Autograd.times(total, n));
            count += n;
          }
        }
      }
      int k = 0;
      for (ParamSpec p : specs) {
        // The sandwich's largest subnet reads every parameter of the slice.
        boolean reached = sandwich || network.reached(a, p) || (rdnas && network.reached(b, p));
        float[] v = Autograd.gradient(w.get(p.name()), scope, reached).toFloatArray();
        System.arraycopy(v, 0, gradient, k, v.length);
        k += v.length;
      }
    }
    return GradientSum.of(gradient, count, ceA, ceB, rank, loss);
  }
}
