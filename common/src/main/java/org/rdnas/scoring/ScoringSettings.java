package org.rdnas.scoring;

import java.io.IOException;
import java.io.Serial;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.hadoop.conf.Configuration;
import java.time.Duration;
import org.rdnas.config.RdnasConfig;
import org.rdnas.config.SpaceConfig;
import org.rdnas.space.SearchSpace;
import org.rdnas.space.SearchSpaces;
import org.rdnas.data.BatchAssembler;
import org.rdnas.nn.CellConvention;
import org.rdnas.nn.Nb201Network;
import org.rdnas.nn.NetworkConfig;
import org.rdnas.proxy.ProxyScorer;
import org.rdnas.data.Cifar10;
import org.rdnas.data.DataSource;
import org.rdnas.data.Datasets;
import org.rdnas.data.ImageDataset;
import org.rdnas.proxy.Proxies;

/**
 * What a scoring task needs to score an arch, reduced from {@link RdnasConfig} on the driver to
 * plain fields (tasks receive it by Java serialisation in their closure; nothing Kryo must know).
 * {@link #identity()} is the part that decides the scores: two tables with equal identities hold
 * the same values for the same arch, so they may be merged.
 */
public final class ScoringSettings implements Serializable {
  @Serial private static final long serialVersionUID = 1L;

  private final SpaceConfig spaceConfig;
  private final String space;
  private final List<String> ops;
  private final int channels;
  private final int cells;
  private final String[] proxies;
  private final int batchSize;
  private final long seed;
  private final long timeoutMillis;
  private final DataSource dataSource;
  private final String dataPath;
  private final int dataLimit;
  private final int syntheticSize;
  private final int imageSize;
  /** The dataset's class count, which the networks' last layer scores. */
  private final int classes;
  private final RdnasConfig.Device device;
  private final double swapRegMu;
  private final double swapRegSigma;
  private transient volatile SearchSpace searchSpace;

  private ScoringSettings(RdnasConfig c, String qualifiedDataPath, int classes) {
    this.spaceConfig = c.space();
    this.space = c.space().name().configName();
    this.ops = List.copyOf(c.space().ops().stream().map(o -> o.label()).toList());
    this.channels = c.space().channels();
    this.cells = c.space().cells();
    this.proxies = columnOrder(c.proxies()).toArray(new String[0]);
    this.batchSize = c.proxy().batchSize();
    this.seed = c.proxy().seed();
    this.timeoutMillis = c.proxy().timeout().toMillis();
    this.dataSource = c.data().source();
    this.dataPath = qualifiedDataPath;
    this.dataLimit = c.data().limit();
    this.syntheticSize = c.data().syntheticSize();
    this.imageSize = c.data().imageSize();
    if (classes < 1) {
      throw new IllegalArgumentException("classes must be >= 1, got " + classes);
    }
    this.classes = classes;
    this.device = c.device();
    this.swapRegMu = c.proxy().swapRegMu();
    this.swapRegSigma = c.proxy().swapRegSigma();
  }

  /**
   * The settings of {@code config}, with the data path already qualified by the driver, for
   * CIFAR-10's or the synthetic images' 10 classes.
   */
  public static ScoringSettings of(RdnasConfig config, String qualifiedDataPath) {
    return of(config, qualifiedDataPath, SearchSpaces.DEFAULT_CLASSES);
  }

  /**
   * The settings of {@code config}, with the data path already qualified by the driver, for a
   * dataset of {@code classes} classes (an image folder's, counted by
   * {@link ScoringInputs#dataShape}).
   */
  public static ScoringSettings of(RdnasConfig config, String qualifiedDataPath, int classes) {
    return new ScoringSettings(config, qualifiedDataPath, classes);
  }

  /**
   * The requested proxies in the ranking table's column order ({@link Proxies#DEFAULT}, then any
   * other registered proxy in the order given), so [snip, synflow] and [synflow, snip] make the same
   * table.
   */
  public static List<String> columnOrder(List<String> requested) {
    List<String> out = new ArrayList<>();
    for (String p : Proxies.DEFAULT) {
      if (requested.contains(p)) {
        out.add(p);
      }
    }
    for (String p : requested) {
      if (!out.contains(p)) {
        out.add(p);
      }
    }
    return out;
  }

  public int channels() {
    return channels;
  }

  public int cells() {
    return cells;
  }

  /** Whether the space is a NAS-Bench-201 one (its scorer and table columns as they always were). */
  public boolean nb201() {
    return spaceConfig.name().isNb201();
  }

  /** The side in pixels of the images the networks see ({@code rdnas.space.resolution}). */
  public int resolution() {
    return spaceConfig.resolution();
  }

  /** The number of classes the networks score: the dataset's. */
  public int classes() {
    return classes;
  }

  /**
   * The search space the candidates' ids belong to, for the dataset's class count, built once per
   * JVM that holds these settings.
   */
  public SearchSpace space() {
    SearchSpace s = searchSpace;
    if (s == null) {
      s = spaceConfig.searchSpace(classes);
      searchSpace = s;
    }
    return s;
  }

  public List<String> proxies() {
    return List.of(proxies);
  }

  public int batchSize() {
    return batchSize;
  }

  public long seed() {
    return seed;
  }

  public long timeoutMillis() {
    return timeoutMillis;
  }

  public RdnasConfig.Device device() {
    return device;
  }

  /**
   * A scorer of these settings' proxies, drawing minibatches from {@code data} (null when no proxy
   * reads images): on the NAS-Bench-201 supernet, or for any other space's subnets
   * ({@link SearchSpace#subnet}), which architecture-generic proxies alone can score.
   */
  public ProxyScorer scorer(BatchAssembler data) {
    ProxyScorer.Builder b = (nb201()
            ? ProxyScorer.builder(
                Nb201Network.of(NetworkConfig.cifar10(channels, cells, CellConvention.SEARCH)),
                Proxies.byNames(proxies()))
            : ProxyScorer.builder(Proxies.byNames(proxies())))
        .optBatchSize(batchSize)
        .optSeed(seed)
        .optTimeout(Duration.ofMillis(timeoutMillis))
        .optSwapRegPrior(swapRegMu, swapRegSigma);
    if (data != null) {
      b.optData(data);
    }
    return b.build();
  }

  /** Whether any requested proxy reads the minibatch. */
  public boolean needsData() {
    return Proxies.byNames(proxies()).stream().anyMatch(p -> p.needsData());
  }

  /** The images the proxies draw minibatches from; the same on every executor. */
  public ImageDataset loadData(Configuration conf) throws IOException {
    return switch (dataSource) {
      case CIFAR10 -> Datasets.load(DataSource.CIFAR10, dataPath, Cifar10.Part.ALL,
          dataLimit == 0 ? Cifar10.NO_LIMIT : dataLimit, seed, conf);
      case SYNTHETIC -> Datasets.load(DataSource.SYNTHETIC, "", Cifar10.Part.ALL,
          dataLimit == 0 ? syntheticSize : Math.min(dataLimit, syntheticSize), seed, conf);
      case IMAGE_FOLDER -> Datasets.load(DataSource.IMAGE_FOLDER, dataPath, Cifar10.Part.ALL,
          dataLimit == 0 ? Cifar10.NO_LIMIT : dataLimit, seed, imageSize, conf);
    };
  }

  /** A key for caching the loaded dataset in an executor JVM. */
  public String dataKey() {
    return String.join("|", dataSource.configName(), dataPath, Integer.toString(dataLimit),
        Integer.toString(syntheticSize), Integer.toString(imageSize), Long.toString(seed));
  }

  /**
   * The settings that decide every score, as sorted key-value pairs with config key names. The
   * timeout and the device are left out: they decide whether a row fails or how fast it is made,
   * not its values. NAS-Bench-201 tables record the ops, C and N (their resolution is always 32);
   * other spaces' tables the resolution.
   */
  public Map<String, String> identity() {
    Map<String, String> m = new TreeMap<>();
    m.put("space.name", space);
    if (nb201()) {
      m.put("space.ops", String.join(",", ops));
      m.put("space.channels", Integer.toString(channels));
      m.put("space.cells", Integer.toString(cells));
    } else {
      m.put("space.resolution", Integer.toString(resolution()));
    }
    m.put("proxies", String.join(",", proxies));
    m.put("proxy.batch-size", Integer.toString(batchSize));
    m.put("proxy.seed", Long.toString(seed));
    m.put("proxy.precision", "float32");
    if (proxies().contains("swap_reg")) {
      // The prior changes swap_reg's scores; a table of other proxies does not depend on it.
      m.put("proxy.swap-reg-mu", Double.toString(swapRegMu));
      m.put("proxy.swap-reg-sigma", Double.toString(swapRegSigma));
    }
    m.put("data.source", dataSource.configName());
    m.put("data.limit", Integer.toString(dataLimit));
    if (dataSource == DataSource.CIFAR10) {
      m.put("data.path", dataPath);
    } else if (dataSource == DataSource.IMAGE_FOLDER) {
      m.put("data.path", dataPath);
      m.put("data.image-size", Integer.toString(imageSize));
    } else {
      m.put("data.synthetic-size", Integer.toString(syntheticSize));
    }
    return m;
  }

  @Override
  public String toString() {
    return "ScoringSettings" + identity() + " timeout=" + timeoutMillis + "ms device=" + device
        + " proxies=" + Arrays.toString(proxies);
  }
}
