package org.rdnas.nn;

import ai.djl.ndarray.NDArray;

/**
 * Sees inside one forward pass: the input of every ReLU, the output of every conv and linear layer, and
 * the output of every module of the reference's module tree. Proxies use it (NASWOT's ReLU codes,
 * Fisher's activations, MeCo's module outputs); training passes none. The arrays it is shown live in a
 * block scope that closes when the block ends: an observer attaches what it keeps to a manager of its own.
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

  /**
   * Called with the output of each module of zero-cost-nas's module tree, named by its path
   * ({@code stem.net.1}, {@code stack_cell1.0.options.2.op}, {@code <model>} for the whole net), in the
   * order PyTorch's forward hooks fire: a container after its children, so one array comes once for
   * every module that returns it. {@code out} is null for a {@code none} op, whose module returns zeros.
   */
  default void moduleOutput(String module, NDArray out) {}
}
