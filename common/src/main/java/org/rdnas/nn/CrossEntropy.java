package org.rdnas.nn;

import ai.djl.ndarray.NDArray;

/** Mean cross-entropy of logits (N x classes) against class-index labels (N), as PyTorch computes it. */
public final class CrossEntropy {
  private CrossEntropy() {}

  /** Mean over the batch of -log softmax(logits)[label]. */
  public static NDArray mean(NDArray logits, NDArray labels) {
    return perSample(logits, labels).mean();
  }

  /** -log softmax(logits)[label] for each sample (N). */
  public static NDArray perSample(NDArray logits, NDArray labels) {
    long classes = logits.getShape().get(1);
    NDArray picked = labels.oneHot((int) classes).toType(logits.getDataType(), false);
    return logits.logSoftmax(1).mul(picked).sum(new int[] {1}).neg();
  }
}
