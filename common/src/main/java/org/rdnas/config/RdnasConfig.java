package org.rdnas.config;

import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValueFactory;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.rdnas.rank.Aggregate;

/**
 * The whole resolved configuration of a run: immutable, validated, plain data. Loaded once on the
 * driver by {@link #load(String...)}, printed with {@link #render()}, stored with
 * {@link #toJson()}, and handed to workers as it is (never a Typesafe {@code Config}).
 */
public record RdnasConfig(OutputConfig output, SpaceConfig space, CandidatesConfig candidates,
    List<String> proxies, List<String> aggregates, ProxyConfig proxy, DataConfig data, GroundTruthConfig groundTruth,
    ScoringConfig scoring, RankingConfig ranking, TrainConfig train, DistillConfig distill,
    EvalConfig eval, SearchConfig search, Device device) implements Serializable {

  /** Where tensors are computed; AUTO takes a GPU when the engine sees one. */
  public enum Device implements ConfigEnum { AUTO, CPU, GPU }

  static final Section<RdnasConfig> SECTION = Section.of(RdnasConfig.class, ConfigLoader.ROOT,
      Key.section(OutputConfig.SECTION),
      Key.section(SpaceConfig.SECTION),
      Key.section(CandidatesConfig.SECTION),
      Key.stringList("proxies", Key.namesFrom(ProxyNames.ALL)),
      Key.stringList("aggregates", Key.aggregates()),
      Key.section(ProxyConfig.SECTION),
      Key.section(DataConfig.SECTION),
      Key.section(GroundTruthConfig.SECTION),
      Key.section(ScoringConfig.SECTION),
      Key.section(RankingConfig.SECTION),
      Key.section(TrainConfig.SECTION),
      Key.section(DistillConfig.SECTION),
      Key.section(EvalConfig.SECTION),
      Key.section(SearchConfig.SECTION),
      Key.choice("device", Device.class));

  public RdnasConfig {
    Checks c = SECTION.check(output, space, candidates, proxies, aggregates, proxy, data,
        groundTruth, scoring, ranking, train, distill, eval, search, device);
    if (proxies != null && aggregates != null && distill != null && c.passed("aggregates")) {
      checkColumns(c, proxies, parse(aggregates), distill.teacher());
    }
    if (candidates != null && space != null && candidates.mode() == CandidatesConfig.Mode.SAMPLE
        && candidates.sampleSize() > space.size()) {
      c.fail("candidates.sample-size", "must not exceed the " + space.size()
          + " architectures of the search space, got " + candidates.sampleSize());
    }
    if (space != null && data != null) {
      checkImageSide(c, space, data);
    }
    if (distill != null && space != null && space.name().isNb201()
        && distill.threshold() > DistillConfig.MAX_GROUP_DISTANCE) {
      // Above the largest group distance no pair qualifies.
      c.fail("distill.threshold", "must not exceed " + DistillConfig.MAX_GROUP_DISTANCE
          + " (the largest group distance) on " + space.name().configName() + ", got "
          + distill.threshold());
    }
    c.throwIfAny();
    proxies = List.copyOf(proxies);
    aggregates = List.copyOf(aggregates);
  }

  /**
   * The rank aggregates job 1 adds to the ranking table: those of {@code rdnas.aggregates}, and
   * AZ-NAS's own ({@link Aggregate#AZ_NAS}) whenever its four components are scored and no
   * aggregate takes its name.
   */
  public List<Aggregate> tableAggregates() {
    List<Aggregate> out = new ArrayList<>(parse(aggregates));
    if (Aggregate.AZ_NAS.coveredBy(proxies)
        && out.stream().noneMatch(a -> a.name().equals(Aggregate.AZ_NAS.name()))) {
      out.add(Aggregate.AZ_NAS);
    }
    return List.copyOf(out);
  }

  private static List<Aggregate> parse(List<String> texts) {
    return texts.stream().map(Aggregate::parse).toList();
  }

  /**
   * An image folder's images must suit the space's networks: 32 px for NAS-Bench-201 (whose
   * networks are CIFAR-10's; its 10 classes are checked when the folder is listed), and for
   * resnet48 a side equal to {@code rdnas.space.resolution} or dividing it (the minibatch is then
   * enlarged by repeating pixels). CIFAR-10 and synthetic images are 32 px, which every space's
   * resolution allows.
   */
  private static void checkImageSide(Checks c, SpaceConfig space, DataConfig data) {
    if (data.source() != org.rdnas.data.DataSource.IMAGE_FOLDER || space.name() == null) {
      return;
    }
    int side = data.imageSize();
    if (space.name().isNb201()) {
      if (side != SpaceConfig.NB201_RESOLUTION) {
        c.fail("data.image-size", "must be " + SpaceConfig.NB201_RESOLUTION + " for "
            + "rdnas.space.name = " + space.name().configName() + " (NAS-Bench-201's networks are "
            + "CIFAR-10's: 32 px, 10 classes), got " + side + "; use rdnas.space.name = resnet48 "
            + "for other images");
      }
    } else if (side < 1 || space.resolution() % side != 0) {
      c.fail("data.image-size", "must equal rdnas.space.resolution = " + space.resolution()
          + " or divide it (smaller images are enlarged to it by repeating pixels), got " + side);
    }
  }

  /**
   * Aggregates combine scored proxies under names of their own; the teacher names proxies or
   * aggregates (job 2 then finds them in the table, whichever run scored it).
   */
  private static void checkColumns(Checks c, List<String> proxies, List<Aggregate> defined,
      List<String> teacher) {
    List<String> valid = new ArrayList<>(ProxyNames.ALL);
    valid.add(Aggregate.AZ_NAS.name());
    for (Aggregate a : defined) {
      if (ProxyNames.ALL.contains(a.name())) {
        c.fail("aggregates", "'" + a.name() + "' is a proxy's name; an aggregate needs its own");
      }
      List<String> missing = a.of().stream().filter(p -> !proxies.contains(p)).toList();
      if (!missing.isEmpty()) {
        c.fail("aggregates", a.name() + " combines " + missing + ", which rdnas.proxies does not "
            + "score");
      }
      if (!valid.contains(a.name())) {
        valid.add(a.name());
      }
    }
    c.subsetOf("distill.teacher", teacher, valid);
  }

  /**
   * Loads the configuration from command-line arguments {@code [--config FILE] [key=value ...]}:
   * reference.conf defaults, then FILE (or ./conf/application.conf when it exists), then each
   * key=value in order. Keys may leave out the {@code rdnas.} prefix; values are HOCON values.
   *
   * @throws ConfigurationException naming every bad key, value or file
   */
  public static RdnasConfig load(String... args) {
    return load(List.of(args), Path.of(""));
  }

  /** As {@link #load(String...)}, with relative paths and ./conf/application.conf under baseDir. */
  public static RdnasConfig load(List<String> args, Path baseDir) {
    return ConfigLoader.fromArgs(args, baseDir);
  }

  /** The defaults of reference.conf alone. */
  public static RdnasConfig defaults() {
    return ConfigLoader.fromText("", List.of());
  }

  /** A configuration from HOCON text (such as {@link #render()}'s) over the defaults. */
  public static RdnasConfig parse(String hocon) {
    return ConfigLoader.fromText(hocon, List.of());
  }

  /** This configuration with {@code key=value} overrides applied, as on the command line. */
  public RdnasConfig with(String... overrides) {
    return ConfigLoader.fromText(render(), List.of(overrides));
  }

  /** Job 2's input table: {@code rdnas.ranking.path}, else {@code <output.path>/ranking}. */
  public String rankingPath() {
    if (!ranking.path().isBlank()) {
      return ranking.path();
    }
    String out = output.path();
    return out.endsWith("/") ? out + "ranking" : out + "/ranking";
  }

  /** The resolved configuration as readable HOCON, every key present; {@link #parse} reads it. */
  public String render() {
    return ConfigValueFactory.fromMap(toMap()).render(
        ConfigRenderOptions.defaults().setOriginComments(false).setComments(false)
            .setJson(false).setFormatted(true));
  }

  /** The resolved configuration as one line of JSON, for output metadata. */
  public String toJson() {
    return ConfigValueFactory.fromMap(toMap()).render(ConfigRenderOptions.concise());
  }

  private Map<String, Object> toMap() {
    return Map.of(ConfigLoader.ROOT, SECTION.toMap(this));
  }
}
