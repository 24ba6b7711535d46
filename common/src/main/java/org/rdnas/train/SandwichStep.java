package org.rdnas.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rdnas.nn.Autograd;
import org.rdnas.nn.CrossEntropy;
import org.rdnas.nn.ForwardOptions;
import org.rdnas.nn.ParamSpec;
import org.rdnas.nn.ResNet48Network;
import org.rdnas.nn.Weights;
import org.rdnas.space.ResNet48Arch;

/**
 * The RD-NAS authors' training step on the ResNet48 supernet, one batch: the sandwich rule (the
 * largest subnet on the labels; the smallest and a random subnet by in-place distillation, a
 * soft-target cross-entropy against the largest's detached softmax) plus the ranking loss of a
 * margin-sampled pair, whose cross-entropies reach the weights only through lambda x
 * {@link MarginRankingLoss}. Loss = CE(largest) + KD(smallest) + KD(random) + lambda R. Not yet
 * wired into job 2: this is the step's computation, for one process, over the whole supernet.
 */
public final class SandwichStep {
  private SandwichStep() {}

  /**
   * The subnets of one step and the pair's ranking-loss settings.
   *
   * @param random the sandwich's random subnet (the authors' sampler)
   * @param a the pair's first subnet
   * @param b the pair's second subnet
   * @param preferred which of a and b the teacher ranks higher
   * @param margin the ranking loss's margin
   * @param lambda the ranking loss's weight ({@link #lambda(int)})
   */
  public record Plan(ResNet48Arch random, ResNet48Arch a, ResNet48Arch b, Preference preferred,
      double margin, double lambda) {}

  /**
   * The step's losses and the gradient of their weighted sum for every supernet parameter, in the
   * supernet's order (zeros where no subnet reaches).
   */
  public record Result(double ceLargest, double kdSmallest, double kdRandom, double ceA, double ceB,
      double rank, Map<String, float[]> gradients) {
    /** The loss the gradient is of. */
    public double total(double lambda) {
      return ceLargest + kdSmallest + kdRandom + lambda * rank;
    }
  }

  /** The authors' schedule: lambda = min(2, epoch / 10). */
  public static double lambda(int epoch) {
    return Math.min(2, epoch / 10.0);
  }

  /** Every stage at its full depth, every conv at its largest width. */
  public static ResNet48Arch largest() {
    return uniform(true);
  }

  /** Two blocks per stage, every conv at its narrowest width. */
  public static ResNet48Arch smallest() {
    return uniform(false);
  }

  private static ResNet48Arch uniform(boolean large) {
    int[] depths = new int[ResNet48Arch.STAGES];
    int[] outs = new int[ResNet48Arch.STAGES];
    int[][] mids = new int[ResNet48Arch.STAGES][];
    for (int s = 0; s < ResNet48Arch.STAGES; s++) {
      depths[s] = large ? ResNet48Arch.slots(s) : ResNet48Arch.MIN_DEPTH;
      outs[s] = large ? 1 : ResNet48Arch.maxIndex(s);
      mids[s] = new int[depths[s]];
      Arrays.fill(mids[s], outs[s]);
    }
    return ResNet48Arch.of(depths, outs, mids);
  }

  /**
   * One step's losses and gradients for images {@code x} and labels {@code y}, from the supernet
   * weights {@code w} (copied: the caller's arrays are not touched); every array lives in a scope
   * under {@code parent}, closed before returning.
   */
  public static Result compute(NDManager parent, ResNet48Network supernet, Weights w, NDArray x,
      NDArray y, Plan p) {
    ForwardOptions train = ForwardOptions.train();
    try (NDManager scope = parent.newSubManager();
        Weights leaves = w.copy(scope, DataType.FLOAT32)) {
      List<NDArray> arrays = new ArrayList<>(leaves.arrays());
      double ce;
      double kdS;
      double kdR;
      double ceA;
      double ceB;
      double rank;
      try (Autograd.Scope g = Autograd.enable()) {
        Autograd.requireGrad(arrays);
        NDArray big = supernet.forward(leaves, largest(), x, train);
        NDArray lossBig = CrossEntropy.mean(big, y);
        NDArray soft = big.stopGradient().softmax(1);
        NDArray lossSmall = softCrossEntropy(supernet.forward(leaves, smallest(), x, train), soft);
        NDArray lossRandom = softCrossEntropy(supernet.forward(leaves, p.random(), x, train), soft);
        NDArray lossA = CrossEntropy.mean(supernet.forward(leaves, p.a(), x, train), y);
        NDArray lossB = CrossEntropy.mean(supernet.forward(leaves, p.b(), x, train), y);
        NDArray r = MarginRankingLoss.of(lossA, lossB, p.preferred(), p.margin());
        Autograd.backward(lossBig.add(lossSmall).add(lossRandom).add(Autograd.times(r, p.lambda())));
        ce = lossBig.getFloat();
        kdS = lossSmall.getFloat();
        kdR = lossRandom.getFloat();
        ceA = lossA.getFloat();
        ceB = lossB.getFloat();
        rank = r.getFloat();
      }
      Map<String, float[]> grads = new LinkedHashMap<>();
      for (ParamSpec s : supernet.parameters()) {
        // The largest subnet runs every block at every width: every parameter is reached.
        grads.put(s.name(), Autograd.gradient(leaves.get(s.name()), scope, true).toFloatArray());
      }
      return new Result(ce, kdS, kdR, ceA, ceB, rank, grads);
    }
  }

  /** Mean over the batch of -sum_k t_k log softmax(s)_k, the in-place distillation loss. */
  private static NDArray softCrossEntropy(NDArray logits, NDArray target) {
    return logits.logSoftmax(1).mul(target).sum(new int[] {1}).neg().mean();
  }
}
