package org.rdnas.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Every wrong type or out-of-range value fails, naming its key and the bad value. */
class ValidationTest {
  @TempDir Path dir;

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      output.path=""                        | rdnas.output.path            | must not be empty
      space.name=nb301                      | rdnas.space.name             | "nb301"
      space.ops=[]                          | rdnas.space.ops              | must not be empty
      space.ops=[conv]                      | rdnas.space.ops              | unknown op 'conv'; valid ops: [none, skip_connect
      space.ops=[none,none]                 | rdnas.space.ops              | 'none' twice
      space.ops=42                          | rdnas.space.ops              | unknown op '42'
      space.ops={a=1}                       | rdnas.space.ops              | a list of strings
      space.channels=0                      | rdnas.space.channels         | got 0
      space.cells=-1                        | rdnas.space.cells            | got -1
      space.cells=2.5                       | rdnas.space.cells            | an integer, got "2.5"
      space.width=0                         | rdnas.space.width            | must be a number > 0, got 0.0
      space.width=1.5                       | rdnas.space.width            | must be in [0.0, 1.0]
      space.width=0.5                       | rdnas.space.width            | must be 1 for rdnas.space.name = nb201
      candidates.mode=some                  | rdnas.candidates.mode        | one of all | sample | file
      candidates.mode=file                  | rdnas.candidates.file        | mode = file
      candidates.sample-size=0              | rdnas.candidates.sample-size | got 0
      candidates.sample-size=20000          | rdnas.candidates.sample-size | 15625 architectures
      candidates.seed=x                     | rdnas.candidates.seed        | got "x"
      proxies=[snip,foo]                    | rdnas.proxies                | 'foo' (valid: synflow, snip, grasp, fisher, grad_norm, jacob_cov, naswot, zen, flops, params, zico, meco, swap, swap_reg, az_expressivity, az_progressivity, az_trainability)
      proxies=[]                            | rdnas.proxies                | must not be empty
      aggregates=["x = mean-rank(flops)"]   | rdnas.aggregates             | two or more distinct
      aggregates=["x = mean-rank(flops, zico)"] | rdnas.aggregates         | x combines [zico], which rdnas.proxies does not score
      aggregates=["snip = mean-rank(flops, params)"] | rdnas.aggregates    | is a proxy
      aggregates=["x = median(flops, params)"] | rdnas.aggregates          | unknown rule
      proxy.batch-size=0                    | rdnas.proxy.batch-size       | got 0
      proxy.timeout=0s                      | rdnas.proxy.timeout          | got 0s
      proxy.timeout=soon                    | rdnas.proxy.timeout          | got "soon"
      proxy.swap-reg-sigma=0                | rdnas.proxy.swap-reg-sigma   | got 0.0
      proxy.swap-reg-mu=-1                  | rdnas.proxy.swap-reg-mu      | got -1.0
      data.source=imagenet                  | rdnas.data.source            | unknown data source 'imagenet'; expected one of [cifar10, synthetic, image-folder]), got "imagenet"
      data.source=cifar10                   | rdnas.data.path              | source = cifar10
      data.source=image-folder              | rdnas.data.path              | one sub-folder of images per class when rdnas.data.source = image-folder
      data.image-size=0                     | rdnas.data.image-size        | >= 1, got 0
      data.limit=-1                         | rdnas.data.limit             | got -1
      data.synthetic-size=0                 | rdnas.data.synthetic-size    | got 0
      ground-truth.column=""                | rdnas.ground-truth.column    | must not be empty
      scoring.resume=maybe                  | rdnas.scoring.resume         | true or false, got "maybe"
      scoring.partitions=-2                 | rdnas.scoring.partitions     | got -2
      ranking.path=[a]                      | rdnas.ranking.path           | a string, got ["a"]
      train.mode=darts                      | rdnas.train.mode             | one of rdnas | spos, got "darts"
      train.epochs=0                        | rdnas.train.epochs           | >= 1, got 0
      train.epochs=abc                      | rdnas.train.epochs           | an integer, got "abc"
      train.epochs=null                     | rdnas.train.epochs           | got null
      train.epochs=9999999999               | rdnas.train.epochs           | got "9999999999"
      train.batch-size=0                    | rdnas.train.batch-size       | got 0
      train.workers=0                       | rdnas.train.workers          | got 0
      train.lr=0                            | rdnas.train.lr               | > 0, got 0.0
      train.lr=NaN                          | rdnas.train.lr               | got NaN
      train.lr-min=0.5                      | rdnas.train.lr-min           | must not exceed rdnas.train.lr (0.025), got 0.5
      train.momentum=1                      | rdnas.train.momentum         | got 1.0
      train.weight-decay=-1e-4              | rdnas.train.weight-decay     | got -1.0E-4
      train.steps-per-round=0               | rdnas.train.steps-per-round  | got 0
      train.micro-batch=-1                  | rdnas.train.micro-batch      | got -1
      train.micro-batch=65                  | rdnas.train.micro-batch      | must not exceed rdnas.train.batch-size (64), got 65
      train.checkpoint-every=0              | rdnas.train.checkpoint-every | got 0
      train.eval-every=-1                   | rdnas.train.eval-every       | got -1
      train.train-images=-1                 | rdnas.train.train-images     | got -1
      train.held-out=0                      | rdnas.train.held-out         | >= 1, got 0
      train.augment=7                       | rdnas.train.augment          | got "7"
      distill.teacher=[]                    | rdnas.distill.teacher        | must not be empty
      distill.teacher=flop                  | rdnas.distill.teacher        | 'flop' (valid: synflow
      distill.threshold=13                  | rdnas.distill.threshold      | must not exceed 12.0 (the largest group distance) on nb201, got 13.0
      distill.lambda=cosine                 | rdnas.distill.lambda         | one of sin | constant | linear, got "cosine"
      distill.lambda-max=-1                 | rdnas.distill.lambda-max     | got -1.0
      distill.margin=huge                   | rdnas.distill.margin         | one of zero | group-distance, got "huge"
      eval.archs=1                          | rdnas.eval.archs             | >= 2, got 1
      eval.bootstrap=-1                     | rdnas.eval.bootstrap         | got -1
      eval.top-k=-1                         | rdnas.eval.top-k             | got -1
      eval.top-k=101                        | rdnas.eval.top-k             | must not exceed rdnas.eval.archs (100), got 101
      eval.batch-size=0                     | rdnas.eval.batch-size        | got 0
      eval.bn-recalibration=[true]          | rdnas.eval.bn-recalibration  | got [true]
      device=tpu                            | rdnas.device                 | one of auto | cpu | gpu, got "tpu"
      """)
  void aBadValueNamesItsKey(String argument, String key, String detail) {
    ConfigurationException e = assertThrows(ConfigurationException.class,
        () -> RdnasConfig.load(List.of(argument), dir));
    assertEquals(1, e.problems().size(), e::getMessage);
    assertEquals(key, e.problems().get(0).key());
    String message = e.getMessage();
    assertTrue(message.startsWith(key + " "), message);
    assertTrue(message.contains(detail), message);
    if (argument.startsWith(key.substring("rdnas.".length()) + "=")) {
      // Where the value came from; a key blamed for another key's value has no origin of its own.
      assertTrue(message.endsWith("(set in command-line argument '" + argument + "')"), message);
    }
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      space.name=nb201-no-none | space.ops=[none,skip_connect] | rdnas.space.ops | 'none' (valid: skip_connect, nor_conv_1x1
      train.lr=0.01            | train.lr-min=0.02              | rdnas.train.lr-min | must not exceed rdnas.train.lr (0.01), got 0.02
      space.ops=[skip_connect,nor_conv_3x3] | candidates.sample-size=65 | rdnas.candidates.sample-size | the 64 architectures
      """)
  void aValueInconsistentWithAnotherNamesItsKey(String first, String second, String key,
      String detail) {
    ConfigurationException e = assertThrows(ConfigurationException.class,
        () -> RdnasConfig.load(List.of(first, second), dir));
    assertEquals(List.of(key),
        e.problems().stream().map(ConfigurationException.Problem::key).toList());
    assertTrue(e.getMessage().startsWith(key + " "), e.getMessage());
    assertTrue(e.getMessage().contains(detail), e.getMessage());
  }

  @ParameterizedTest(name = "{0} {1}")
  @CsvSource(delimiter = '|', textBlock = """
      space.name=nb201    | data.image-size=64  | must be 32 for rdnas.space.name = nb201 (NAS-Bench-201's networks are CIFAR-10's: 32 px, 10 classes), got 64
      space.name=resnet48 | data.image-size=48  | must equal rdnas.space.resolution = 32 or divide it (smaller images are enlarged to it by repeating pixels), got 48
      space.name=resnet48 | data.image-size=12  | must equal rdnas.space.resolution = 32 or divide it
      """)
  void anImageFolderSideTheSpaceCannotTakeIsRefused(String space, String size, String detail) {
    ConfigurationException e = assertThrows(ConfigurationException.class, () -> RdnasConfig.load(
        List.of(space, "data.source=image-folder", "data.path=/data/imgs", size), dir));
    assertEquals(List.of("rdnas.data.image-size"),
        e.problems().stream().map(ConfigurationException.Problem::key).toList());
    assertTrue(e.getMessage().contains(detail), e.getMessage());
  }

  @org.junit.jupiter.api.Test
  void anImageFolderSideTheSpaceTakesLoads() {
    for (List<String> ok : List.of(
        List.of("space.name=resnet48", "space.resolution=64", "data.image-size=16"),
        List.of("space.name=resnet48", "space.resolution=224", "data.image-size=224"),
        List.of("space.name=nb201", "data.image-size=32"))) {
      List<String> args = new java.util.ArrayList<>(ok);
      args.addAll(List.of("data.source=image-folder", "data.path=/data/imgs"));
      RdnasConfig c = RdnasConfig.load(args, dir);
      assertEquals(c.data().imageSize(), c.data().imageSide());
    }
    // Other sources are 32 px whatever image-size says (it is used by image folders only).
    RdnasConfig synthetic = RdnasConfig.load(List.of("data.image-size=64"), dir);
    assertEquals(32, synthetic.data().imageSide());
  }
}
