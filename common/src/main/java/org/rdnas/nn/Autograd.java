package org.rdnas.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.engine.EngineException;
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
 */
public final class Autograd {
  private Autograd() {}

  /** Grad mode on for the calling thread until {@link Scope#close()}, which restores the old mode. */
  public static Scope enable() {
    boolean before = JniUtils.isGradMode();
    JniUtils.setGradMode(true);
    return new Scope(before);
  }

  /** Marks {@code arrays} as leaves whose gradients backward passes accumulate. */
  public static void requireGrad(Collection<NDArray> arrays) {
    for (NDArray a : arrays) {
      a.setRequiresGradient(true);
    }
  }

  /** Backpropagates from the scalar {@code out}, accumulating into every leaf that requires grad. */
  public static void backward(NDArray out) {
    PtNDArray o = pt(out);
    try (NDArray seed = out.onesLike()) {
      JniUtils.backward(o, pt(seed), false, false);
    } catch (EngineException e) {
      // No leaf reaches the output (e.g. the all-none net): every gradient stays zero, as the
      // reference gets, rather than an error. DJL 0.36 offers no safe query for this beforehand
      // (requiresGrad is false for graph outputs and the grad-fn query crashes on leaves).
      if (e.getMessage() == null || !e.getMessage().contains("does not require grad")) {
        throw e;
      }
    }
  }

  /**
   * The gradient accumulated in {@code leaf}, as an array owned by {@code scope}; zeros of the leaf's
   * type when no backward reached it (a dead op), where DJL would give float32 zeros.
   */
  public static NDArray gradient(NDArray leaf, NDManager scope) {
    NDArray g = JniUtils.getGradient(pt(leaf));
    if (g == null) {
      return scope.zeros(leaf.getShape(), leaf.getDataType());
    }
    g.attach(scope);
    return g;
  }

  /** Resets the accumulated gradient of each of {@code leaves} to zero. */
  public static void zeroGrad(Collection<NDArray> leaves) {
    for (NDArray a : leaves) {
      JniUtils.zeroGrad(pt(a));
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
