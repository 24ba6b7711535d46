package org.rdnas.train;

import ai.djl.ndarray.NDArray;
import org.rdnas.nn.Autograd;
import org.rdnas.nn.CrossEntropy;
import org.rdnas.nn.ForwardOptions;
import org.rdnas.nn.Supernet;
import org.rdnas.nn.Weights;

/**
 * The RD-NAS authors' training loss on a supernet trained by the sandwich rule (their ResNet48
 * code), for one micro-batch: the largest subnet on the labels; the smallest and a random subnet by
 * in-place distillation (a soft-target cross-entropy against the largest's detached softmax); and,
 * in RD-NAS mode, the ranking loss of a margin-sampled pair a, b, whose cross-entropies reach the
 * weights only through lambda x {@link MarginRankingLoss}:
 * {@code L = CE(largest) + KD(smallest) + KD(random) [+ lambda R(CE(a), CE(b))]}. Without a pair (SPOS
 * mode) this is the plain sandwich rule, the authors' baseline on that space.
 */
final class SandwichStep {
  private SandwichStep() {}

  /**
   * One micro-batch's losses, in the calling thread's autograd scope. {@code ceA} is CE(a) on the
   * labels, or CE(random) without a pair: reported, and trained on only through the ranking loss.
   */
  record Losses(NDArray total, NDArray ceA, NDArray ceB, NDArray rank) {}

  /**
   * The losses of images {@code x}, labels {@code y}: the sandwich of {@code net} with subnet
   * {@code random}, plus the pair {@code a}, {@code b} (ids; {@code b < 0}: no pair).
   */
  static Losses losses(Supernet net, Weights w, NDArray x, NDArray y, long random, long a, long b,
      Preference preferred, double margin, double lambda) {
    Supernet.Sandwich s = net.sandwich();
    ForwardOptions train = ForwardOptions.train();
    NDArray big = net.forward(w, s.largest(), x, train);
    NDArray total = CrossEntropy.mean(big, y);
    NDArray soft = big.stopGradient().softmax(1);
    total = total.add(softCrossEntropy(net.forward(w, s.smallest(), x, train), soft));
    NDArray randomLogits = net.forward(w, random, x, train);
    total = total.add(softCrossEntropy(randomLogits, soft));
    if (b < 0) {
      return new Losses(total, CrossEntropy.mean(randomLogits, y), null, null);
    }
    NDArray[] pair = net.forwardPair(w, a, b, x, train);
    NDArray lossA = CrossEntropy.mean(pair[0], y);
    NDArray lossB = CrossEntropy.mean(pair[1], y);
    NDArray r = MarginRankingLoss.of(lossA, lossB, preferred, margin);
    return new Losses(total.add(Autograd.times(r, lambda)), lossA, lossB, r);
  }

  /** Mean over the batch of -sum_k t_k log softmax(s)_k, the in-place distillation loss. */
  private static NDArray softCrossEntropy(NDArray logits, NDArray target) {
    return logits.logSoftmax(1).mul(target).sum(new int[] {1}).neg().mean();
  }
}
