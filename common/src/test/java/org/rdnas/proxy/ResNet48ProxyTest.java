package org.rdnas.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.rdnas.data.BatchAssembler;
import org.rdnas.data.SyntheticImages;
import org.rdnas.nn.SubnetModel;
import org.rdnas.space.ResNet48Space;
import org.rdnas.space.SearchSpace;
import org.rdnas.testing.NdLeakCheck;

/** The architecture-generic proxies on ResNet48 codes at toy size, through the space plug-in. */
@ExtendWith(NdLeakCheck.class)
class ResNet48ProxyTest {
  static final List<String> GENERIC = List.of(
      "synflow", "snip", "fisher", "grad_norm", "jacob_cov", "naswot", "zen", "flops", "params", "zico");
  static final BatchAssembler DATA = BatchAssembler.standard(SyntheticImages.standard().generate(40, 1));

  @Test
  void theGenericProxiesAreTheOnesThatReadOnlyTheModel() {
    assertEquals(GENERIC.stream().sorted().toList(), Proxies.names().stream()
        .filter(n -> Proxies.byName(n).architectureGeneric()).sorted().toList());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> ProxyScorer.builder(Proxies.byNames(List.of("snip", "grasp"))));
    assertTrue(e.getMessage().contains("[grasp]"), e.getMessage());
  }

  @Test
  void everyGenericProxyScoresChallengeCodesReproducibly(NDManager m) {
    SearchSpace space = ResNet48Space.of(64, 10);
    ProxyScorer scorer = ProxyScorer.builder(Proxies.byNames(GENERIC)).optData(DATA).optBatchSize(8)
        .optSeed(3).build();
    // The smallest arch: two blocks per stage at the narrowest widths.
    String code = "122223" + "3333000000" + "3333000000" + "5555000000000000" + "7777000000";
    for (String c : List.of("1252233313000000223212122253130000000000006515000000", code)) {
      SubnetModel model = space.subnet(space.parse(c));
      List<ProxyScore> a = scorer.score(m, model);
      for (ProxyScore s : a) {
        assertTrue(s.ok(), c + " " + s.proxy() + ": " + s.error());
      }
      List<ProxyScore> b = scorer.score(m, space.subnet(space.parse(c)));
      for (int i = 0; i < a.size(); i++) {
        assertEquals(a.get(i).value(), b.get(i).value(), a.get(i).proxy());
      }
      assertEquals(model.parameterCount() / 1e6, a.get(GENERIC.indexOf("params")).value(), 1e-12);
      assertEquals(model.macs() / 1e6, a.get(GENERIC.indexOf("flops")).value(), 1e-12);
    }
  }
}
