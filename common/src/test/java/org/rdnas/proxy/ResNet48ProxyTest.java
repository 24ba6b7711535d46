package org.rdnas.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDManager;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.rdnas.config.SpaceConfig;
import org.rdnas.data.BatchAssembler;
import org.rdnas.data.ImageDataset;
import org.rdnas.data.Normalization;
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

  @Test
  void aSmallerImageOfOtherClassesIsEnlargedAndScoredOnANetworkOfItsClasses(NDManager m) {
    // 16 px images of 3 classes, as an image folder with image-size 16 gives, for 32 px networks.
    int n = 12;
    byte[] images = new byte[n * 3 * 16 * 16];
    java.util.SplittableRandom rng = new java.util.SplittableRandom(5);
    for (int p = 0; p < images.length; p++) {
      images[p] = (byte) rng.nextInt(256);
    }
    int[] labels = new int[n];
    java.util.Arrays.setAll(labels, i -> i % 3);
    ImageDataset d = ImageDataset.of(images, labels, 16, 3, List.of("a", "b", "c"),
        Normalization.imagenet(), "sixteen");
    SpaceConfig config = new SpaceConfig(SpaceConfig.Name.RESNET48, null, 16, 5, 32);
    SearchSpace three = config.searchSpace(d.classes());
    SearchSpace ten = config.searchSpace();
    assertEquals(3, ((ResNet48Space) three).classes());
    ProxyScorer scorer = ProxyScorer.builder(Proxies.byNames(List.of("synflow", "naswot", "params")))
        .optData(BatchAssembler.standard(d)).optBatchSize(4).optSeed(1).build();
    long id = three.parse("1252233313000000223212122253130000000000006515000000");
    List<ProxyScore> scores = scorer.score(m, three.subnet(id));
    for (ProxyScore s : scores) {
      assertTrue(s.ok(), s.proxy() + ": " + s.error());
    }
    // The last layer scores 3 classes, not 10: 7 outputs fewer, each a weight per feature and a bias.
    long fewer = ten.parameterCount(id) - three.parameterCount(id);
    assertTrue(fewer > 0 && fewer % 7 == 0, "parameters fewer by " + fewer);
    assertEquals(three.parameterCount(id) / 1e6, scores.get(2).value(), 1e-12);
  }

  @Test
  void nasBench201KeepsItsTenClasses() {
    SpaceConfig nb201 = new SpaceConfig(SpaceConfig.Name.NB201, null, 8, 1);
    assertEquals(nb201.searchSpace().size(), nb201.searchSpace(10).size());
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> nb201.searchSpace(3));
    assertTrue(e.getMessage().contains("rdnas.space.name = nb201 builds NAS-Bench-201's 10-class"), e.getMessage());
  }
}
