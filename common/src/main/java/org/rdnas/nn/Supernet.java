package org.rdnas.nn;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * A weight-sharing supernet as job 2 trains it: one set of named weights, and a forward for every
 * arch of its space by the arch's stable id. A space's plug-in builds it
 * ({@link org.rdnas.space.SearchSpace#supernet}); everything job 2 does (steps, evaluation, search)
 * goes through this interface, so training code never names a space.
 */
public interface Supernet {
  /** Every parameter, in a stable order: the layout of the flat weight and gradient vectors. */
  List<ParamSpec> parameters();

  /** The parameters a forward of arch {@code archId} reads, in {@link #parameters()} order. */
  List<ParamSpec> parameters(long archId);

  /**
   * Whether a backward pass from the logits of arch {@code archId} reaches {@code p} (one of
   * {@link #parameters(long)}); one it reaches must receive a gradient, one it does not must not.
   */
  boolean reached(long archId, ParamSpec p);

  /** Logits of arch {@code archId} for the batch {@code x} (N x 3 x {@link #inputSize()} x side). */
  NDArray forward(Weights w, long archId, NDArray x, ForwardOptions o);

  /**
   * Logits of archs {@code a} and {@code b} for the same batch {@code x}: what two {@link #forward}s
   * give, up to float rounding in the gradient of whatever the two share and a space computes once.
   */
  default NDArray[] forwardPair(Weights w, long a, long b, NDArray x, ForwardOptions o) {
    return new NDArray[] {forward(w, a, x, o), forward(w, b, x, o)};
  }

  /** The code of arch {@code archId} in its space's notation (the tables' {@code arch} column). */
  String code(long archId);

  /** Side of the square images the forward takes, in pixels. */
  int inputSize();

  /** Classes the logits score. */
  int classes();

  /**
   * The sandwich rule's largest and smallest subnets when the space's authors train it that way
   * (every step also trains these two, and a random subnet by in-place distillation); null when a
   * step trains its sampled subnet(s) alone, as on NAS-Bench-201.
   */
  default Sandwich sandwich() {
    return null;
  }

  /** The sandwich rule's two fixed subnets, by id. */
  record Sandwich(long largest, long smallest) {}
}
