package org.rdnas.nn;

import ai.djl.ndarray.NDArray;
import java.util.List;

/**
 * One architecture of a search space as a function of named weights: what a zero-cost proxy scores.
 * A space's plug-in builds it ({@link org.rdnas.space.SearchSpace#subnet}); a proxy written against
 * this interface scores archs of every space, one written against {@link Nb201Network} only
 * NAS-Bench-201's.
 */
public interface SubnetModel {
  /** The arch's stable id in its space; seeds its weights, minibatch and random draws. */
  long archId();

  /** The parameters a forward uses, in a stable order, shaped as the stand-alone network's. */
  List<ParamSpec> parameters();

  /** The parameter named {@code name}; an error names it when the network has none. */
  default ParamSpec parameter(String name) {
    for (ParamSpec p : parameters()) {
      if (p.name().equals(name)) {
        return p;
      }
    }
    throw new IllegalArgumentException("network has no parameter '" + name + "'");
  }

  /**
   * Whether a backward pass from the logits reaches the parameter named {@code name}: one it reaches
   * must receive a gradient, one it does not must not (a dead cell edge of NAS-Bench-201).
   */
  boolean reached(String name);

  /** Colour channels of the input images. */
  int inputChannels();

  /** Side of the square input images the network is scored at, in pixels. */
  int inputSize();

  /** Logits for the batch {@code x} (N x {@link #inputChannels()} x side x side). */
  NDArray forward(Weights w, NDArray x, ForwardOptions o);

  /** The activations before global pooling, as Zen-NAS reads them. */
  NDArray features(Weights w, NDArray x, ForwardOptions o);

  /** Trainable parameters of the stand-alone network, in the space's counting convention. */
  long parameterCount();

  /** Multiply-accumulates of one image at {@link #inputSize()}, in the space's counting convention. */
  long macs();
}
