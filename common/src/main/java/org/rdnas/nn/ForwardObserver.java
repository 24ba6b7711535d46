package org.rdnas.nn;

import ai.djl.ndarray.NDArray;

/**
 * Sees inside one forward pass: the input of every ReLU and the output of every conv and linear layer.
 * Proxies use it (NASWOT's ReLU codes, Fisher's activations); training passes none. The arrays it is
 * shown live in a block scope that closes when the block ends: an observer attaches what it keeps to
 * a manager of its own.
 */
public interface ForwardObserver {
  /** Does nothing. */
  ForwardObserver NONE = new ForwardObserver() {};

  /**
   * Called with the input of a ReLU; {@code inReluConvBn} is true for the ReLU of a ReLU-conv-BN
   * block (cells, reductions) and false for the head's.
   */
  default void reluInput(NDArray x, boolean inReluConvBn) {}

  /** Called with a conv or linear layer's output; returns the array the forward continues with. */
  default NDArray layerOutput(String layer, NDArray out) {
    return out;
  }
}
