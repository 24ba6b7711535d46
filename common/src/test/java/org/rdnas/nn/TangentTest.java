package org.rdnas.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.rdnas.space.Arch;
import org.rdnas.testing.NdLeakCheck;

/** The forward-mode tangent against central finite differences of the logits, in float64. */
@ExtendWith(NdLeakCheck.class)
class TangentTest {
  @Test
  void tangentEqualsTheDirectionalDerivative(NDManager root) {
    Nb201Network net = Nb201Network.of(new NetworkConfig(4, 1, 3, 10, CellConvention.SEARCH));
    Arch a = Arch.parse(
        "|nor_conv_3x3~0|+|nor_conv_1x1~0|avg_pool_3x3~1|+|skip_connect~0|nor_conv_3x3~1|none~2|");
    List<ParamSpec> ps = net.parameters(a);
    double eps = 1e-7;
    try (NDManager m = root.newSubManager();
        Weights w = Weights.initialize(m, ps, 1, Weights.Init.PYTORCH_DEFAULT, DataType.FLOAT64);
        Weights dir = Weights.initialize(m, ps, 2, Weights.Init.PYTORCH_DEFAULT, DataType.FLOAT64)) {
      // A fixed input: a random one could put a ReLU input within eps of its kink, where finite
      // differences and the tangent legitimately differ.
      java.util.SplittableRandom rng = new java.util.SplittableRandom(11);
      double[] xs = new double[6 * 3 * 32 * 32];
      for (int i = 0; i < xs.length; i++) {
        xs[i] = org.rdnas.util.Seeds.gaussian(rng);
      }
      NDArray x = m.create(xs, new Shape(6, 3, 32, 32));
      NDArray[] out = net.forwardWithTangent(w, dir, a, x, ForwardOptions.train());
      try (Weights plus = shifted(m, w, dir, eps); Weights minus = shifted(m, w, dir, -eps)) {
        NDArray fd = net.forward(plus, a, x, ForwardOptions.train())
            .sub(net.forward(minus, a, x, ForwardOptions.train())).div(2 * eps);
        double[] expected = fd.toDoubleArray();
        double[] actual = out[1].toDoubleArray();
        double scale = 0;
        for (double v : expected) {
          scale = Math.max(scale, Math.abs(v));
        }
        for (int i = 0; i < actual.length; i++) {
          assertEquals(expected[i], actual[i], 1e-6 * scale, "logit " + i);
        }
      }
    }
  }

  private static Weights shifted(NDManager m, Weights w, Weights dir, double eps) {
    return w.map(m, a -> a.add(dir.get(nameOf(w, a)).mul(eps)));
  }

  private static String nameOf(Weights w, NDArray a) {
    for (String n : w.names()) {
      if (w.get(n) == a) {
        return n;
      }
    }
    throw new AssertionError();
  }
}
