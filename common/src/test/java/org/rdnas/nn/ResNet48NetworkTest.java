package org.rdnas.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.rdnas.space.ResNet48Arch;
import org.rdnas.space.ResNet48Space;
import org.rdnas.testing.NdLeakCheck;

/** The ResNet48 supernet restricted to a code against the stand-alone network the code names. */
@ExtendWith(NdLeakCheck.class)
class ResNet48NetworkTest {
  static final ResNet48Network SUPERNET = ResNet48Network.supernet(10);

  static ResNet48Arch sampled(long seed) {
    return ResNet48Space.arch(ResNet48Space.of(32, 10).sampleOne(new SplittableRandom(seed)));
  }

  /** The stand-alone weights: the first channels of the supernet's, as OFA slices them. */
  static Weights slicedFrom(NDManager m, Weights sup, ResNet48Network standalone) {
    Map<String, NDArray> out = new LinkedHashMap<>();
    NDManager scope = m.newSubManager();
    for (ParamSpec p : standalone.parameters()) {
      long[] s = p.shape();
      StringBuilder idx = new StringBuilder();
      for (long d : s) {
        idx.append(idx.length() == 0 ? "" : ",").append(":").append(d);
      }
      NDArray a = sup.get(p.name()).get(new NDIndex(idx.toString())).duplicate();
      a.attach(scope);
      out.put(p.name(), a);
    }
    return Weights.of(scope, out);
  }

  @Test
  void theSupernetRestrictedToACodeComputesItsStandaloneNetwork(NDManager m) {
    for (long seed = 1; seed <= 3; seed++) {
      ResNet48Arch arch = sampled(seed);
      ResNet48Network alone = ResNet48Network.standalone(arch, 10);
      try (NDManager s = m.newSubManager();
          Weights sup = Weights.initialize(s, SUPERNET.parameters(), seed, Weights.Init.PYTORCH_DEFAULT,
              DataType.FLOAT64);
          Weights own = slicedFrom(s, sup, alone)) {
        NDArray x = s.randomNormal(new Shape(2, 3, 64, 64), DataType.FLOAT64);
        double[] a = SUPERNET.forward(sup, arch, x, ForwardOptions.train()).toDoubleArray();
        double[] b = alone.forward(own, arch, x, ForwardOptions.train()).toDoubleArray();
        assertArrayEquals(a, b, 1e-9, arch.toString());
        assertEquals(alone.parameterCount(arch),
            alone.parameters().stream().mapToLong(ParamSpec::size).sum());
      }
    }
  }

  /**
   * Params: the supernet arrays a backward from the code's logits reaches are exactly the
   * stand-alone network's, and the leading block of entries it reaches in each has its size. FLOPs: each conv's output per image times the weights it read per
   * output channel (the reached entries of its supernet weight over its output channels).
   */
  @Test
  void paramsAndFlopsOfTheRestrictedSupernetEqualTheStandaloneNetworks(NDManager m) {
    for (long seed = 4; seed <= 6; seed++) {
      ResNet48Arch arch = sampled(seed);
      ResNet48Network alone = ResNet48Network.standalone(arch, 10);
      try (NDManager s = m.newSubManager();
          Weights sup = Weights.initialize(s, SUPERNET.parameters(), seed, Weights.Init.PYTORCH_DEFAULT,
              DataType.FLOAT64)) {
        Map<String, long[]> outputs = new LinkedHashMap<>();
        ForwardObserver shapes = new ForwardObserver() {
          @Override
          public NDArray layerOutput(String layer, NDArray out) {
            outputs.put(layer, out.getShape().getShape());
            return out;
          }
        };
        NDArray x = s.randomNormal(new Shape(2, 3, 64, 64), DataType.FLOAT64);
        Map<String, Long> reachedEntries = new LinkedHashMap<>();
        try (Autograd.Scope g = Autograd.enable()) {
          Autograd.requireGrad(sup.arrays());
          NDArray logits = SUPERNET.forward(sup, arch, x, ForwardOptions.train().optObserver(shapes));
          Autograd.backward(logits.mul(logits).sum());
        }
        long params = 0;
        java.util.Set<String> own = new java.util.HashSet<>(
            alone.parameters().stream().map(ParamSpec::name).toList());
        for (String name : sup.names()) {
          // Throws if the backward reaches a parameter outside the code's blocks, or misses one inside.
          long n = usedEntries(Autograd.gradient(sup.get(name), s, own.contains(name)));
          reachedEntries.put(name, n);
          params += n;
        }
        assertEquals(alone.parameterCount(arch), params, arch.toString());
        assertEquals(SUPERNET.parameterCount(arch), params);
        long macs = 0;
        for (Map.Entry<String, long[]> e : outputs.entrySet()) {
          long[] o = e.getValue();
          long perChannel = reachedEntries.get(e.getKey() + ".weight") / o[1];
          long positions = o.length == 4 ? o[2] * o[3] : 1;
          macs += o[1] * positions * perChannel + (o.length == 2 ? o[1] : 0);
        }
        assertEquals(alone.macs(arch, 64), macs, arch.toString());
        assertEquals(SUPERNET.macs(arch, 64), macs);
      }
    }
  }

  /**
   * The entries of a supernet weight the forward read: the leading block spanned by its nonzero
   * gradient (a ReLU may zero single entries inside it, never a whole last channel in practice).
   */
  static long usedEntries(NDArray g) {
    long[] shape = g.getShape().getShape();
    long n = 1;
    for (int d = 0; d < Math.min(2, shape.length); d++) {
      int[] perm = new int[shape.length];
      for (int i = 0; i < perm.length; i++) {
        perm[i] = i == 0 ? d : i == d ? 0 : i;
      }
      double[] mass = g.abs().transpose(perm).reshape(shape[d], -1).sum(new int[] {1}).toDoubleArray();
      int last = mass.length;
      while (last > 0 && mass[last - 1] == 0) {
        last--;
      }
      n *= last;
    }
    for (int d = 2; d < shape.length; d++) {
      n *= shape[d];
    }
    return n;
  }

  @Test
  void theLargestArchHasTheClosedFormCountsOfAResNetOfTheseDepths() {
    ResNet48Arch max = ResNet48Arch.parse("155851" + "11".repeat(ResNet48Arch.SLOTS));
    int[] depth = {5, 5, 8, 5};
    int[] c = {64, 128, 256, 512};
    long p = 3 * 49 * 64 + 2 * 64;
    int cin = 64;
    for (int s = 0; s < 4; s++) {
      for (int b = 0; b < depth[s]; b++) {
        p += 9L * cin * c[s] + 2 * c[s] + 9L * c[s] * c[s] + 2 * c[s];
        if (b == 0 && s > 0) {
          p += (long) cin * c[s] + 2 * c[s];
        }
        cin = c[s];
      }
    }
    p += 512 * 10 + 10;
    assertEquals(p, SUPERNET.parameterCount(max));
    assertEquals(p, SUPERNET.parameters().stream().mapToLong(ParamSpec::size).sum());
    assertThrows(IllegalArgumentException.class, () -> ResNet48Network.checkResolution(48));
  }
}
