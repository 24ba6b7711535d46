package org.rdnas.nn;

import ai.djl.engine.EngineException;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.engine.PtNDArray;
import ai.djl.pytorch.jni.JniUtils;
import java.util.Collection;

/**
 * The one place that touches PyTorch's autograd directly. DJL's {@code GradientCollector} is a JVM-wide
 * singleton, so two Spark tasks training in one executor JVM collide; PyTorch's grad mode is per
 * thread, so scoping it here lets any number of threads run backward passes at once. Only first-order
 * backward passes are offered: second derivatives go through
 * {@link Nb201Network#forwardWithTangent}, never a create-graph backward.
 *
 * <p><b>Scalars in a graph.</b> DJL's {@code NDArray.mul(Number)}, {@code div(Number)},
 * {@code maximum(Number)} and the like wrap the number in an array that views a Java direct buffer,
 * run the op, and close that array at once. The op's result is right, but autograd keeps the scalar
 * for the backward pass, and the garbage collector may free the buffer before that pass reads it:
 * the gradient is then scaled by whatever the memory holds by then. That is how GraSP once scored
 * 1.4e-14 instead of 0.03 under load. Every product, quotient or clamp by a number on a tensor that
 * requires a gradient goes through {@link #times}, {@link #dividedBy} and {@link #atLeast}, whose
 * scalar owns its memory in libtorch.
 *
 * <p><b>No silent zeros.</b> {@link #backward} fails when its output depends on no leaf, and
 * {@link #gradient(NDArray, NDManager, boolean)} fails when a leaf the network says is reached
 * ({@link Nb201Network#reached}) got no gradient, or one it says is not reached got one, so a backward
 * pass that silently did nothing is an error rather than a zero.
 */
public final class Autograd {
  private Autograd() {}

  /** Grad mode on for the calling thread until {@link Scope#close()}, which restores the old mode. */
  public static Scope enable() {
    boolean before = JniUtils.isGradMode();
    JniUtils.setGradMode(true);
    return new Scope(before);
  }

  /**
   * Grad mode off for the calling thread until {@link Scope#close()}, which restores the old mode:
   * forward-only work records no graph, and {@link Nb201Network} takes its graph-free fast paths.
   */
  public static Scope disable() {
    boolean before = JniUtils.isGradMode();
    JniUtils.setGradMode(false);
    return new Scope(before);
  }

  /** Whether the calling thread's grad mode is on (PyTorch's default), i.e. ops may record a graph. */
  public static boolean recording() {
    return JniUtils.isGradMode();
  }

  /** Marks {@code arrays} as leaves whose gradients backward passes accumulate. */
  public static void requireGrad(Collection<NDArray> arrays) {
    for (NDArray a : arrays) {
      a.setRequiresGradient(true);
    }
  }

  /**
   * Backpropagates from the scalar {@code out}, accumulating into every leaf that requires grad.
   *
   * @throws IllegalStateException when {@code out} depends on no such leaf
   */
  public static void backward(NDArray out) {
    if (!backwardIfConnected(out)) {
      throw new IllegalStateException("backward from an output that depends on no leaf requiring a "
          + "gradient: nothing would be computed (is grad mode on, and were leaves marked?)");
    }
  }

  /**
   * As {@link #backward}, but returns false instead of failing when {@code out} depends on no leaf
   * that requires a gradient (for example a net whose output ignores its input), for callers to
   * whom that is a result.
   */
  public static boolean backwardIfConnected(NDArray out) {
    PtNDArray o = pt(out);
    try (NDArray seed = out.onesLike()) {
      JniUtils.backward(o, pt(seed), false, false);
      return true;
    } catch (EngineException e) {
      // DJL 0.36 offers no safe query beforehand (requiresGrad is false for graph outputs and the
      // grad-fn query crashes on leaves), so PyTorch's own refusal is the test.
      if (e.getMessage() == null || !e.getMessage().contains("does not require grad")) {
        throw e;
      }
      return false;
    }
  }

  /**
   * The gradient accumulated in {@code leaf}, as an array owned by {@code scope}.
   *
   * @throws IllegalStateException when no backward pass reached the leaf
   */
  public static NDArray gradient(NDArray leaf, NDManager scope) {
    return gradient(leaf, scope, true);
  }

  /**
   * The gradient accumulated in {@code leaf}, which a backward pass {@code reached} (as
   * {@link Nb201Network#reached} says) or not: zeros of the leaf's type for an unreached leaf, as the
   * reference gets for a dead op.
   *
   * @throws IllegalStateException when a reached leaf has no gradient, or an unreached one has one
   */
  public static NDArray gradient(NDArray leaf, NDManager scope, boolean reached) {
    NDArray g = JniUtils.getGradient(pt(leaf));
    if (g == null) {
      if (reached) {
        throw new IllegalStateException("backward produced no gradient for a leaf of shape "
            + leaf.getShape() + " (" + leaf.getName() + ") that the output depends on");
      }
      return scope.zeros(leaf.getShape(), leaf.getDataType());
    }
    g.attach(scope);
    if (!reached) {
      throw new IllegalStateException("backward reached a leaf of shape " + leaf.getShape() + " ("
          + leaf.getName() + ") that the network says its output does not depend on");
    }
    return g;
  }

  /** Resets the accumulated gradient of each of {@code leaves} to zero. */
  public static void zeroGrad(Collection<NDArray> leaves) {
    for (NDArray a : leaves) {
      JniUtils.zeroGrad(pt(a));
    }
  }

  /** {@code x * c}, safe inside a graph (see the class comment). */
  public static NDArray times(NDArray x, double c) {
    try (NDArray k = scalar(x, c)) {
      return x.mul(k);
    }
  }

  /** {@code x / c}, safe inside a graph (see the class comment). */
  public static NDArray dividedBy(NDArray x, double c) {
    try (NDArray k = scalar(x, c)) {
      return x.div(k);
    }
  }

  /** {@code max(x, c)} elementwise, safe inside a graph (see the class comment). */
  public static NDArray atLeast(NDArray x, double c) {
    try (NDArray k = scalar(x, c)) {
      return x.maximum(k);
    }
  }

  /**
   * The number {@code c} as a 0-d array of {@code like}'s type and device whose memory libtorch owns:
   * closing it only drops this handle, while a graph that saved it keeps it alive.
   */
  static NDArray scalar(NDArray like, double c) {
    NDManager m = like.getManager();
    try (NDArray view = m.create(c)) {
      // A conversion copies into libtorch's memory; an unchanged type needs an explicit copy, since
      // DJL then returns an array sharing the Java buffer.
      NDArray owned = Weights.ownedCopy(view, like.getDataType());
      if (owned.getDevice().equals(like.getDevice())) {
        return owned;
      }
      try (owned) {
        return owned.toDevice(like.getDevice(), true);
      }
    }
  }

  private static PtNDArray pt(NDArray a) {
    if (a instanceof PtNDArray p) {
      return p;
    }
    throw new IllegalStateException(
        "autograd needs the PyTorch engine, got an array of " + a.getManager().getEngine().getEngineName());
  }

  /** Restores the thread's previous grad mode when closed. */
  public static final class Scope implements AutoCloseable {
    private final boolean before;

    private Scope(boolean before) {
      this.before = before;
    }

    @Override
    public void close() {
      JniUtils.setGradMode(before);
    }
  }
}
