package org.rdnas.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.rdnas.nn.CellConvention;
import org.rdnas.nn.Nb201Network;
import org.rdnas.nn.NetworkConfig;
import org.rdnas.nn.Weights;
import org.rdnas.space.Arch;
import org.rdnas.testing.Golden;
import org.rdnas.testing.NdLeakCheck;

/**
 * Every proxy on the golden cases of the reference implementations (shared/data/golden): same weights,
 * same inputs, float64, within 1e-4 relative of values_f64 (zen: values_f32, the only one given).
 */
@ExtendWith(NdLeakCheck.class)
class GoldenProxyParityTest {
  static final Nb201Network NET = Nb201Network.of(NetworkConfig.cifar10(CellConvention.SEARCH));
  static final double TOLERANCE = 1e-4;

  @Test
  void everyProxyMatchesTheReferenceOnEveryGoldenCase(NDManager root) {
    Golden g = Golden.load();
    List<String> mismatches = new ArrayList<>();
    int compared = 0;
    for (JsonNode c : g.cases()) {
      Arch arch = Golden.arch(c);
      boolean allNone = c.get("name").asText().equals("e1_allnone");
      try (NDManager m = root.newSubManager();
          Weights w = g.supernetWeights(m, NET, arch, DataType.FLOAT32);
          Weights zw = g.zenWeights(m, NET, arch, DataType.FLOAT32)) {
        NDList batch = g.npz(m, "input_batch.npz");
        NDList zin = g.npz(m, "zen_inputs.npz");
        try (ProxyContext ctx = ProxyContext.builder(m, NET, arch).optPrecision(DataType.FLOAT64)
            .optBatch(Golden.named(batch, "x"), Golden.named(batch, "y"))
            .optInitialWeights(w).optZenWeights(zw)
            .optZenInputs(Golden.named(zin, "input"), Golden.named(zin, "mixup_input")).build()) {
          for (String name : Proxies.DEFAULT) {
            double expected = name.equals("zen")
                ? Golden.value(c, "values_f32", "zen")
                : !Double.isNaN(Golden.value(c, "values_f64", name))
                    ? Golden.value(c, "values_f64", name)
                    : Golden.value(c, "values_f32", name.equals("flops") ? "flops_M_nb201"
                        : name.equals("params") ? "params_M_nb201" : name);
            double actual = Proxies.byName(name).score(ctx);
            if (allNone && (Double.isNaN(expected) || Double.isInfinite(expected))) {
              // jacob_cov NaN, naswot and zen -infinity: the scorer turns these into failed rows.
              assertTrue(Double.isNaN(actual) || actual == expected,
                  name + " on the all-none net: expected " + expected + ", got " + actual);
              continue;
            }
            compared++;
            double rel = Math.abs(actual - expected) / Math.max(Math.abs(expected), 1e-12);
            boolean zero = expected == 0 && Math.abs(actual) < 1e-9;
            if (!zero && !(rel <= TOLERANCE)) {
              mismatches.add(String.format("%s %s: expected %.10g got %.10g (rel %.2e)",
                  c.get("name").asText(), name, expected, actual, rel));
            }
          }
        }
      }
    }
    assertEquals(List.of(), mismatches);
    assertEquals(6 * 10 - 3, compared);
  }

  @Test
  void naswotCountedOnceMatchesTheReferenceVariant(NDManager root) {
    Golden g = Golden.load();
    JsonNode c = g.cases().get(0);
    Arch arch = Golden.arch(c);
    try (NDManager m = root.newSubManager();
        Weights w = g.supernetWeights(m, NET, arch, DataType.FLOAT32)) {
      NDList batch = g.npz(m, "input_batch.npz");
      try (ProxyContext ctx = ProxyContext.builder(m, NET, arch).optPrecision(DataType.FLOAT64)
          .optBatch(Golden.named(batch, "x"), Golden.named(batch, "y")).optInitialWeights(w).build()) {
        double once = Naswot.logDet(Naswot.kernel(ctx, false));
        assertEquals(Golden.value(c, "values_f64", "naswot_relu_once"), once, 1e-4 * Math.abs(once));
      }
    }
  }
}
