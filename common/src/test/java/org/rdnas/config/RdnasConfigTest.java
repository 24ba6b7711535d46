package org.rdnas.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.rdnas.rank.Aggregate;
import org.junit.jupiter.api.io.TempDir;
import org.rdnas.data.DataSource;
import org.rdnas.space.Nb201Space;
import org.rdnas.space.Op;

class RdnasConfigTest {
  @TempDir Path dir;

  private RdnasConfig load(String... args) {
    return RdnasConfig.load(List.of(args), dir);
  }

  private ConfigurationException fails(String... args) {
    return assertThrows(ConfigurationException.class, () -> load(args));
  }

  @Test
  void defaultsLoadWithTheDocumentedValues() {
    RdnasConfig c = RdnasConfig.defaults();
    assertEquals("runs/latest", c.output().path());
    assertEquals(SpaceConfig.Name.NB201, c.space().name());
    assertEquals(List.of(Op.values()), c.space().ops());
    assertEquals(15_625, c.space().size());
    // Sized for a CPU; conf/paper.conf holds the benchmark's C=16, N=5 (thePaperProfile... below).
    assertEquals(8, c.space().channels());
    assertEquals(1, c.space().cells());
    assertEquals(CandidatesConfig.Mode.SAMPLE, c.candidates().mode());
    assertEquals(50, c.candidates().sampleSize());
    assertEquals(org.rdnas.proxy.Proxies.DEFAULT, c.proxies());
    assertEquals(64, c.proxy().batchSize());
    assertEquals(Duration.ofMinutes(10), c.proxy().timeout());
    assertEquals(DataSource.SYNTHETIC, c.data().source());
    assertEquals("", c.data().path());
    assertEquals(2048, c.data().syntheticSize());
    assertEquals("valid_test_acc", c.groundTruth().column());
    assertTrue(c.groundTruth().pathIfSet().isEmpty());
    assertFalse(c.scoring().resume());
    assertEquals("runs/latest/ranking", c.rankingPath());
    TrainConfig t = c.train();
    assertEquals(TrainConfig.Mode.RDNAS, t.mode());
    assertEquals(3, t.epochs());
    assertEquals(64, t.batchSize());
    assertEquals(2, t.workers());
    assertEquals(0, t.microBatch());
    assertEquals(32, t.effectiveMicroBatch());
    assertEquals(8, c.with("train.micro-batch=8").train().effectiveMicroBatch());
    assertEquals(0.025, t.lr());
    assertEquals(0.001, t.lrMin());
    assertEquals(0.9, t.momentum());
    assertEquals(5e-4, t.weightDecay());
    assertEquals(1, t.stepsPerRound());
    assertEquals(500, t.checkpointEvery());
    assertEquals(1, t.evalEvery());
    assertEquals(512, t.heldOut());
    assertTrue(c.data().syntheticSize() - t.heldOut() >= t.batchSize(),
        "the default synthetic images leave at least one training batch after the held-out set");
    assertEquals(List.of("flops"), c.distill().teacher());
    assertEquals(6.7, c.distill().threshold());
    assertEquals(DistillConfig.Schedule.SIN, c.distill().lambda());
    assertEquals(2.0, c.distill().lambdaMax());
    assertEquals(DistillConfig.Margin.ZERO, c.distill().margin());
    assertEquals(100, c.eval().archs());
    assertEquals(1000, c.eval().bootstrap());
    assertEquals(0, c.eval().topK(), "0 = min(10, archs evaluated)");
    assertEquals(10, c.eval().topK(c.eval().archs()));
    assertEquals(5, load("eval.archs=5").eval().topK(5), "fewer than 10 archs work unchanged");
    assertEquals(3, load("eval.top-k=3").eval().topK(100));
    assertEquals(RdnasConfig.Device.AUTO, c.device());
    assertEquals(c, load(), "no conf/application.conf under the base dir: defaults only");
  }

  @Test
  void aggregatesAreTableColumnsTheTeacherMayName() {
    assertEquals(List.of(), load().tableAggregates(), "az_nas needs its components scored");
    RdnasConfig c = load("proxies=[flops, az_expressivity, az_progressivity, az_trainability,"
        + " zico]", "aggregates=[\"zf = mean-rank(zico, flops)\"]", "distill.teacher=az_nas");
    assertEquals(List.of("zf = mean-rank(zico, flops)", Aggregate.AZ_NAS.toString()),
        c.tableAggregates().stream().map(Aggregate::toString).toList());
    assertEquals(List.of("az_nas"), c.distill().teacher());
    assertEquals(List.of("zf"), load("aggregates=[\"zf = mean-rank(snip, flops)\"]",
        "distill.teacher=[zf]").distill().teacher());
    assertEquals(c, RdnasConfig.parse(c.render()), "aggregates render and parse back");
  }

  @Test
  void theNoNoneSpaceDerivesItsOps() {
    RdnasConfig c = load("space.name=nb201-no-none");
    assertEquals(List.of(Op.SKIP_CONNECT, Op.NOR_CONV_1X1, Op.NOR_CONV_3X3, Op.AVG_POOL_3X3),
        c.space().ops());
    assertEquals(Nb201Space.withoutNone().ops(), c.space().space().ops());
    assertEquals(4_096, c.space().size());
  }

  @Test
  void precedenceIsReferenceThenFileThenArguments() throws Exception {
    Path file = dir.resolve("run.conf");
    Files.writeString(file, "rdnas.train { epochs = 10, batch-size = 32 }\n");
    RdnasConfig c = load("--config", file.toString(), "train.epochs=3");
    assertEquals(3, c.train().epochs(), "argument beats file");
    assertEquals(32, c.train().batchSize(), "file beats reference");
    assertEquals(0.025, c.train().lr(), "reference where nobody else speaks");
    assertEquals(7, load("--config=" + file, "train.epochs=3", "rdnas.train.epochs=7")
        .train().epochs(), "the later argument wins, with or without the rdnas. prefix");
  }

  @Test
  void theRepositoryFileIsUsedWhenNoConfigIsGiven() throws Exception {
    Files.createDirectories(dir.resolve("conf"));
    Files.writeString(dir.resolve("conf/application.conf"), "rdnas.space.channels = 12\n");
    assertEquals(12, load().space().channels());
    assertEquals(4, load("space.channels=4").space().channels());
    Path other = dir.resolve("other.conf");
    Files.writeString(other, "rdnas.space.cells = 2\n");
    RdnasConfig c = load("--config", "other.conf");
    assertEquals(2, c.space().cells(), "a relative --config is resolved against the base dir");
    assertEquals(RdnasConfig.defaults().space().channels(), c.space().channels(),
        "--config replaces conf/application.conf");
  }

  @Test
  void thePaperProfileHoldsTheAuthorsSettingsAndNeedsCifar10() {
    String paper = Path.of("../conf/paper.conf").toAbsolutePath().toString();
    ConfigurationException noData = fails("--config", paper);
    assertTrue(noData.getMessage().contains("rdnas.data.path"), noData.getMessage());
    RdnasConfig c = load("--config", paper, "data.path=/data/cifar10");
    assertEquals(SpaceConfig.Name.NB201_NO_NONE, c.space().name());
    assertEquals(16, c.space().channels());
    assertEquals(5, c.space().cells());
    assertEquals(DataSource.CIFAR10, c.data().source());
    assertEquals(250, c.train().epochs());
    assertEquals(64, c.train().batchSize());
    assertEquals(10, c.train().evalEvery());
    assertEquals(2000, c.train().heldOut());
    assertEquals(List.of("flops"), c.distill().teacher());
    assertEquals(10, c.eval().topK());
    assertEquals(256, c.eval().batchSize());
    RdnasConfig defaults = RdnasConfig.defaults();
    assertNotEquals(defaults.train().epochs(), c.train().epochs(), "the defaults are smaller");
    assertNotEquals(defaults.space().channels(), c.space().channels());
  }

  @Test
  void theResNet48ProfileLoadsWithTheAuthorsResNetSettings() {
    String profile = Path.of("../conf/resnet48.conf").toAbsolutePath().toString();
    RdnasConfig c = load("--config", profile);
    assertEquals(SpaceConfig.Name.RESNET48, c.space().name());
    assertEquals(32, c.space().resolution());
    assertEquals(0.25, c.space().width());
    assertEquals(CandidatesConfig.Mode.FILE, c.candidates().mode());
    assertEquals(33, c.distill().threshold());
    assertEquals(List.of("flops"), c.distill().teacher());
    assertEquals(SearchConfig.Candidates.TABLE, c.search().candidates());
    // A NAS-Bench-201 threshold bound does not apply to the Hamming distance, and vice versa.
    ConfigurationException far = fails("distill.threshold=13");
    assertTrue(far.getMessage().contains("rdnas.distill.threshold"), far.getMessage());
    assertEquals(40, load("--config", profile, "distill.threshold=40").distill().threshold());
    ConfigurationException width = fails("space.width=0.5");
    assertTrue(width.getMessage().contains("rdnas.space.width"), width.getMessage());
    assertTrue(fails("--config", profile, "space.width=0").getMessage()
        .contains("rdnas.space.width"));
  }

  @Test
  void listsParseAsHoconAndASingleStringIsAListOfOne() {
    RdnasConfig c = load("proxies=[snip, synflow]", "distill.teacher=snip",
        "space.ops=[nor_conv_3x3,skip_connect]", "candidates.sample-size=64");
    assertEquals(List.of("snip", "synflow"), c.proxies());
    assertEquals(List.of("snip"), c.distill().teacher());
    assertEquals(List.of(Op.SKIP_CONNECT, Op.NOR_CONV_3X3), c.space().ops(),
        "ops are kept in NAS-Bench-201's order");
    assertEquals(List.of("snip", "flops"),
        load("distill.teacher=[\"snip\", flops]").distill().teacher());
  }

  @Test
  void argumentValuesKeepUrlsAndConvertNumbersAndDurations() {
    RdnasConfig c = load("output.path=hdfs://nn:8020/runs/a#1", "train.lr=0.1",
        "proxy.timeout=90s", "scoring.resume=true", "train.weight-decay=1e-3");
    assertEquals("hdfs://nn:8020/runs/a#1", c.output().path());
    assertEquals("hdfs://nn:8020/runs/a#1/ranking", c.rankingPath());
    assertEquals(0.1, c.train().lr());
    assertEquals(Duration.ofSeconds(90), c.proxy().timeout());
    assertTrue(c.scoring().resume());
    assertEquals(1e-3, c.train().weightDecay());
    assertEquals("out/x/table",
        load("output.path=out/x", "ranking.path=${rdnas.output.path}/table").rankingPath());
  }

  @Test
  void substitutionsInFilesResolveAgainstTheMergedConfig() throws Exception {
    Path file = dir.resolve("a.conf");
    Files.writeString(file, "rdnas { ranking.path = ${rdnas.output.path}\"/rank\" }\n");
    assertEquals("elsewhere/rank",
        load("--config", file.toString(), "output.path=elsewhere").ranking().path());
  }

  @Test
  void unknownKeysAreErrorsWithASuggestion() {
    assertEquals("unknown configuration key rdnas.train.epoch (did you mean rdnas.train.epochs?)"
        + " (set in command-line argument 'train.epoch=3')",
        fails("train.epoch=3").getMessage());
    assertTrue(fails("train.batch_size=3").getMessage()
        .contains("rdnas.train.batch_size (did you mean rdnas.train.batch-size?)"));
    assertTrue(fails("train.threshold=3").getMessage()
        .contains("(did you mean rdnas.distill.threshold?)"));
    assertTrue(fails("trian.epochs=3").getMessage()
        .contains("unknown configuration key rdnas.trian (did you mean rdnas.train?)"));
    assertTrue(fails("colour=blue").getMessage()
        .startsWith("unknown configuration key rdnas.colour"));
  }

  @Test
  void unknownKeysInAFileNameTheFileAndLine() throws Exception {
    Path file = dir.resolve("bad.conf");
    Files.writeString(file, "rdnas {\n  eval {\n    archs-fil = x.txt\n  }\n}\n");
    String message = fails("--config", file.toString()).getMessage();
    assertTrue(message.contains("unknown configuration key rdnas.eval.archs-fil "
        + "(did you mean rdnas.eval.archs-file?)"), message);
    assertTrue(message.contains("bad.conf: 3"), message);
  }

  @Test
  void sectionsWrittenOutsideRdnasAreCaught() throws Exception {
    Path file = dir.resolve("flat.conf");
    Files.writeString(file, "train.epochs = 3\n");
    assertTrue(fails("--config", file.toString()).getMessage()
        .contains("configuration key train is outside rdnas (did you mean rdnas.train?)"));
    assertTrue(fails("train=5").getMessage()
        .contains("rdnas.train must be a section of settings (an object), got \"5\""));
  }

  @Test
  void aMissingConfigFileIsAClearErrorNamingThePath() {
    Path missing = dir.resolve("nope/run.conf");
    ConfigurationException e = fails("--config", missing.toString());
    assertEquals("configuration file not found: " + missing + " (given by --config " + missing
        + ")", e.getMessage());
    assertEquals("--config", e.problems().get(0).key());
    assertTrue(fails("--config").getMessage().contains("--config needs a FILE argument"));
    assertTrue(fails("train.epochs").getMessage().contains(
        "unexpected argument 'train.epochs': expected --config FILE or key=value"));
  }

  @Test
  void unparsableFilesAndValuesAreClearErrors() throws Exception {
    Path file = dir.resolve("broken.conf");
    Files.writeString(file, "rdnas { train { \n");
    assertTrue(fails("--config", file.toString()).getMessage()
        .startsWith("cannot read configuration file " + file));
    assertTrue(fails("proxies=[snip,").getMessage().startsWith(
        "rdnas.proxies could not be parsed from command-line argument 'proxies=[snip,'"));
  }

  @Test
  void everyProblemIsReportedAtOnce() {
    ConfigurationException e = fails("train.epochs=0", "space.channels=x", "device=tpu",
        "train.epoch=1");
    assertEquals(List.of("rdnas.train.epoch", "rdnas.space.channels", "rdnas.train.epochs",
        "rdnas.device"), e.problems().stream().map(ConfigurationException.Problem::key).toList());
    assertTrue(e.getMessage().startsWith("4 configuration problems:"), e.getMessage());
  }

  @Test
  void renderedTextReadsBackToTheSameConfig() {
    RdnasConfig c = load("space.ops=[skip_connect,nor_conv_3x3]", "proxy.timeout=1500ms",
        "candidates.mode=file", "candidates.file=archs.txt", "distill.teacher=[snip,zen]",
        "data.source=cifar10", "data.path=/d/c10", "device=cpu", "train.lr=0.05");
    assertEquals(c, RdnasConfig.parse(c.render()));
    assertEquals(c, RdnasConfig.parse(c.toJson()));
    assertFalse(c.toJson().contains("\n"));
    assertTrue(c.render().contains("timeout=\"1500ms\"") || c.render().contains("timeout = \"1500ms\""),
        c.render());
    assertEquals(RdnasConfig.defaults(), RdnasConfig.parse(RdnasConfig.defaults().render()));
    assertEquals(12, c.with("train.epochs=12").train().epochs());
    assertEquals(c.space(), c.with("train.epochs=12").space());
  }

  @Test
  void recordsSurviveJavaSerialization() throws Exception {
    assertSerializes(load("proxies=[snip]", "space.name=nb201-no-none"));
    assertSerializes(load("space.name=resnet48", "space.resolution=64"));
  }

  private static void assertSerializes(RdnasConfig c) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(c);
    }
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      assertEquals(c, in.readObject());
    }
  }

  @Test
  void recordsBuiltInCodeAreValidatedToo() {
    ConfigurationException e = assertThrows(ConfigurationException.class,
        () -> new SpaceConfig(SpaceConfig.Name.NB201_NO_NONE, List.of(Op.NONE), 0, 5));
    assertEquals(List.of("rdnas.space.ops", "rdnas.space.channels"),
        e.problems().stream().map(ConfigurationException.Problem::key).toList());
  }
}
