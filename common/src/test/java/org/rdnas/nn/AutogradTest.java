package org.rdnas.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.rdnas.space.Arch;
import org.rdnas.testing.NdLeakCheck;

/**
 * The autograd adapter: scalars that survive the garbage collector inside a graph, and no silent
 * zeros (a backward that reaches nothing, or a gradient missing where the network says one must be).
 */
@ExtendWith(NdLeakCheck.class)
class AutogradTest {

  /**
   * Frees what the collector can, then reallocates small direct buffers full of 1e9, so that a freed
   * scalar's memory now holds garbage, as another thread's allocations did under load.
   */
  private static void churnFreedDirectBuffers() {
    List<ByteBuffer> keep = new ArrayList<>();
    for (int round = 0; round < 5; round++) {
      System.gc();
      for (int i = 0; i < 2000; i++) {
        for (int size : new int[] {4, 8}) {
          ByteBuffer b = ByteBuffer.allocateDirect(size).order(ByteOrder.nativeOrder());
          if (size == 4) {
            b.putFloat(0, 1e9f);
          } else {
            b.putDouble(0, 1e9);
          }
          keep.add(b);
        }
      }
    }
  }

  /** The gradient of {@code sum(op(x))} with respect to x, computed after a churn of freed memory. */
  private static float[] gradientAfterChurn(NDManager m, DataType type,
      BiFunction<NDArray, Double, NDArray> op, double c) {
    try (NDManager s = m.newSubManager()) {
      NDArray x = s.arange(1f, 9f).toType(type, false);
      try (Autograd.Scope g = Autograd.enable()) {
        Autograd.requireGrad(List.of(x));
        NDArray y = op.apply(x, c).sum();
        churnFreedDirectBuffers();
        Autograd.backward(y);
      }
      return Autograd.gradient(x, s).toType(DataType.FLOAT32, false).toFloatArray();
    }
  }

  @Test
  void scalarsInAGraphSurviveTheGarbageCollector(NDManager m) {
    for (DataType type : List.of(DataType.FLOAT32, DataType.FLOAT64)) {
      for (int repeat = 0; repeat < 3; repeat++) {
        float[] div = gradientAfterChurn(m, type, Autograd::dividedBy, 64);
        float[] mul = gradientAfterChurn(m, type, Autograd::times, 3);
        float[] max = gradientAfterChurn(m, type, Autograd::atLeast, 4.5);
        for (int i = 0; i < 8; i++) {
          assertEquals(1 / 64f, div[i], "d(x/64)/dx " + type);
          assertEquals(3f, mul[i], "d(3x)/dx " + type);
          assertEquals(i + 1 > 4.5 ? 1f : 0f, max[i], "d max(x, 4.5)/dx at x = " + (i + 1) + " " + type);
        }
      }
    }
  }

  @Test
  void scalarsTakeTheArraysTypeAndValue(NDManager m) {
    try (NDManager s = m.newSubManager()) {
      NDArray x = s.create(new double[] {1, 2});
      try (NDArray k = Autograd.scalar(x, 0.1)) {
        assertEquals(DataType.FLOAT64, k.getDataType());
        assertEquals(0.1, k.getDouble(), 0);
        assertTrue(k.getShape().isScalar());
      }
      assertEquals(0.2, Autograd.times(x, 0.1).getDouble(1), 0);
    }
  }

  @Test
  void backwardFromAnOutputThatDependsOnNoLeafFails(NDManager m) {
    try (NDManager s = m.newSubManager(); Autograd.Scope g = Autograd.enable()) {
      NDArray x = s.ones(new Shape(3));
      IllegalStateException e = assertThrows(IllegalStateException.class,
          () -> Autograd.backward(x.sum()));
      assertTrue(e.getMessage().contains("depends on no leaf"), e.getMessage());
      assertFalse(Autograd.backwardIfConnected(x.sum()));
    }
  }

  @Test
  void aMissingGradientIsAnErrorWhereTheOutputDependsOnTheLeaf(NDManager m) {
    try (NDManager s = m.newSubManager()) {
      NDArray used = s.ones(new Shape(2));
      NDArray unused = s.ones(new Shape(3));
      try (Autograd.Scope g = Autograd.enable()) {
        Autograd.requireGrad(List.of(used, unused));
        Autograd.backward(used.mul(used).sum());
      }
      assertEquals(2f, Autograd.gradient(used, s).toFloatArray()[0]);
      assertEquals(0f, Autograd.gradient(unused, s, false).sum().getFloat());
      IllegalStateException missing = assertThrows(IllegalStateException.class,
          () -> Autograd.gradient(unused, s));
      assertTrue(missing.getMessage().contains("no gradient"), missing.getMessage());
      IllegalStateException unexpected = assertThrows(IllegalStateException.class,
          () -> Autograd.gradient(used, s, false));
      assertTrue(unexpected.getMessage().contains("does not depend on"), unexpected.getMessage());
    }
  }

  /**
   * {@link Nb201Network#reached} against PyTorch itself: over random archs (disconnected ones
   * included) at one and two cells per stage, a parameter has a gradient exactly when the network
   * says the output reaches it.
   */
  @Test
  void reachedParametersAreExactlyThoseThatGetAGradient(NDManager m) {
    Random r = new Random(5);
    List<Arch> archs = new ArrayList<>(List.of(
        Arch.parse("|none~0|+|none~0|none~1|+|none~0|none~1|none~2|"),
        Arch.parse("|nor_conv_3x3~0|+|none~0|none~1|+|none~0|none~1|nor_conv_1x1~2|"),
        Arch.parse("|nor_conv_3x3~0|+|nor_conv_1x1~0|none~1|+|none~0|none~1|none~2|")));
    for (int i = 0; i < 40; i++) {
      archs.add(Arch.fromId(r.nextInt(Arch.ID_COUNT)));
    }
    for (int cells : new int[] {1, 2}) {
      Nb201Network net = Nb201Network.of(new NetworkConfig(4, cells, 3, 10, CellConvention.SEARCH));
      for (Arch arch : archs) {
        try (NDManager s = m.newSubManager();
            Weights w = Weights.initialize(s, net.parameters(arch), 1, Weights.Init.PYTORCH_DEFAULT,
                DataType.FLOAT32)) {
          NDArray x = s.randomNormal(new Shape(2, 3, 8, 8));
          try (Autograd.Scope g = Autograd.enable()) {
            Autograd.requireGrad(w.arrays());
            Autograd.backward(net.forward(w, arch, x, ForwardOptions.train()).sum());
          }
          for (ParamSpec p : net.parameters(arch)) {
            boolean has = ai.djl.pytorch.jni.JniUtils.getGradient(
                (ai.djl.pytorch.engine.PtNDArray) w.get(p.name())) != null;
            assertEquals(has, net.reached(arch, p), arch + " N=" + cells + " " + p.name());
          }
        }
      }
    }
  }
}
