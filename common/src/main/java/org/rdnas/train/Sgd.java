package org.rdnas.train;

import java.util.Objects;

/**
 * SGD with momentum and L2 weight decay on flat float32 weights, with PyTorch's semantics
 * (dampening 0, no Nesterov): d = g + wd * w; buf = momentum * buf + d; w -= lr * buf, in float32
 * arithmetic as PyTorch's CPU kernels do. The driver owns one instance and its momentum buffer.
 *
 * <p>Every parameter is updated every step, the unused ops of the supernet included (their gradient
 * is 0, so they decay and coast on their momentum): that is what the authors' PyTorch 1.x runs did
 * once a parameter had a gradient tensor, since {@code zero_grad()} then kept zeros rather than None.
 * Weight decay applies to all parameters, BN and biases included, as their
 * {@code SGD(model.parameters(), ...)} does.
 */
public final class Sgd {
  private final double momentumValue;
  private final double weightDecayValue;
  private final float momentum;
  private final float weightDecay;
  private final float[] buffer;

  private Sgd(float[] buffer, double momentum, double weightDecay) {
    if (!(momentum >= 0 && momentum < 1)) {
      throw new IllegalArgumentException("momentum must be in [0, 1), got " + momentum);
    }
    if (!(weightDecay >= 0) || Double.isInfinite(weightDecay)) {
      throw new IllegalArgumentException("weight decay must be finite and >= 0, got " + weightDecay);
    }
    this.momentumValue = momentum;
    this.weightDecayValue = weightDecay;
    this.momentum = (float) momentum;
    this.weightDecay = (float) weightDecay;
    this.buffer = buffer;
  }

  /** A fresh optimizer for {@code size} parameters (momentum buffer zero). */
  public static Sgd create(int size, double momentum, double weightDecay) {
    return new Sgd(new float[size], momentum, weightDecay);
  }

  /** An optimizer continuing from a saved momentum buffer (copied). */
  public static Sgd restore(float[] buffer, double momentum, double weightDecay) {
    return new Sgd(Objects.requireNonNull(buffer, "momentum buffer").clone(), momentum, weightDecay);
  }

  /**
   * One update of {@code weights} in place with the mean gradient {@code gradient} and learning rate
   * {@code lr}. A zero buffer then momentum * 0 + d = d, PyTorch's first step.
   */
  public void step(float[] weights, float[] gradient, double lr) {
    if (weights.length != buffer.length || gradient.length != buffer.length) {
      throw new IllegalArgumentException("SGD holds " + buffer.length + " parameters, got "
          + weights.length + " weights and " + gradient.length + " gradients");
    }
    float rate = (float) lr;
    for (int i = 0; i < buffer.length; i++) {
      float d = gradient[i] + weightDecay * weights[i];
      buffer[i] = momentum * buffer[i] + d;
      weights[i] -= rate * buffer[i];
    }
  }

  /** An independent copy (its own momentum buffer), to try a step before committing it. */
  public Sgd copy() {
    return restore(buffer, momentumValue, weightDecayValue);
  }

  /** A copy of the momentum buffer, for checkpoints. */
  public float[] momentumBuffer() {
    return buffer.clone();
  }

  public int size() {
    return buffer.length;
  }

  public double momentum() {
    return momentumValue;
  }

  public double weightDecay() {
    return weightDecayValue;
  }
}
