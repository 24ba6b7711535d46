package org.rdnas.tools;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rdnas.data.BatchAssembler;
import org.rdnas.data.DataSource;
import org.rdnas.data.Datasets;
import org.rdnas.data.ImageDataset;
import org.rdnas.nn.CellConvention;
import org.rdnas.nn.Nb201Network;
import org.rdnas.nn.NetworkConfig;
import org.rdnas.proxy.Proxies;
import org.rdnas.proxy.ProxyScore;
import org.rdnas.proxy.ProxyScorer;
import org.rdnas.space.Arch;
import org.rdnas.space.Nb201Space;

/**
 * Speed and memory benchmark of the zero-cost proxies: scores a seeded sample of archs with the ten
 * proxies, or those named (C=16, N=5, batch 64 by default), and prints the median milliseconds per arch
 * of each proxy and of all of them together, plus peak RSS and native/heap memory at checkpoints (flat
 * memory check). Proxies that share one pass (swap and swap_reg; the three AZ-NAS parts) charge it to
 * the first of them that runs.
 *
 * <p>Usage: {@code ProxyBenchmark [archs=30] [data=CIFAR10_PATH] [precision=float32|float64]
 * [warmup=3] [channels=16] [cells=5] [batch=64] [proxies=a,b,...|modern]}; without a data path it uses
 * synthetic images; {@code proxies=modern} names ZiCo, MeCo, SWAP and AZ-NAS's parts.
 */
public final class ProxyBenchmark {
  private ProxyBenchmark() {}

  public static void main(String[] args) throws IOException {
    Map<String, String> opt = new LinkedHashMap<>();
    for (String a : args) {
      int eq = a.indexOf('=');
      if (eq < 1) {
        throw new IllegalArgumentException("expected key=value, got '" + a + "'");
      }
      opt.put(a.substring(0, eq), a.substring(eq + 1));
    }
    int archs = Integer.parseInt(opt.getOrDefault("archs", "30"));
    String data = opt.getOrDefault("data", "").isEmpty() ? null : opt.get("data");
    DataType precision = opt.getOrDefault("precision", "float32").equals("float64")
        ? DataType.FLOAT64 : DataType.FLOAT32;
    int warmup = Integer.parseInt(opt.getOrDefault("warmup", "3"));
    int channels = Integer.parseInt(opt.getOrDefault("channels", "16"));
    int cells = Integer.parseInt(opt.getOrDefault("cells", "5"));
    int batch = Integer.parseInt(opt.getOrDefault("batch", "64"));
    String names = opt.getOrDefault("proxies", "");
    List<String> proxies = names.isEmpty() ? Proxies.DEFAULT
        : names.equals("modern") ? Proxies.MODERN : List.of(names.split(","));
    ImageDataset ds = data != null
        ? Datasets.load(DataSource.CIFAR10, data, org.rdnas.data.Cifar10.NO_LIMIT, 0)
        : Datasets.load(DataSource.SYNTHETIC, "", 2048, 0);
    Nb201Network net = Nb201Network.of(NetworkConfig.cifar10(channels, cells, CellConvention.SEARCH));
    ProxyScorer scorer = ProxyScorer.builder(net, Proxies.byNames(proxies))
        .optData(BatchAssembler.standard(ds)).optBatchSize(batch).optSeed(0).optPrecision(precision).build();
    List<Arch> sample = Nb201Space.full().sample(archs + warmup, 42);
    Map<String, List<Double>> ms = new LinkedHashMap<>();
    List<Double> total = new ArrayList<>();
    int failed = 0;
    System.out.printf("engine %s %s, threads %s, data %s, precision %s, C=%d N=%d batch %d, %d archs"
            + " (+%d warm-up)%n", Engine.getInstance().getEngineName(), Engine.getInstance().getVersion(),
        System.getProperty("ai.djl.pytorch.num_threads", "default"), ds.origin(), precision, channels,
        cells, batch, archs, warmup);
    try (NDManager root = NDManager.newBaseManager()) {
      for (int i = 0; i < sample.size(); i++) {
        long t0 = System.nanoTime();
        List<ProxyScore> scores = scorer.score(root, sample.get(i));
        double wall = (System.nanoTime() - t0) / 1e6;
        if (i < warmup) {
          continue;
        }
        total.add(wall);
        for (ProxyScore s : scores) {
          ms.computeIfAbsent(s.proxy(), k -> new ArrayList<>()).add(s.millis());
          failed += s.ok() ? 0 : 1;
        }
        if ((i - warmup) % Math.max(10, archs / 10) == 0 || i == sample.size() - 1) {
          System.out.printf("  arch %4d: %.0f ms all proxies; RSS %d MB, heap %d MB, open arrays %d%n",
              i - warmup, wall, rssMb(), usedHeapMb(), root.getManagedArrays().size());
        }
      }
    }
    System.out.printf("%-16s %12s%n", "proxy", "median ms");
    ms.forEach((k, v) -> System.out.printf("%-16s %12.1f%n", k, median(v)));
    System.out.printf("%-16s %12.1f   (wall time per arch, all proxies)%n", "ALL", median(total));
    System.out.printf("failed proxy scores: %d; peak RSS %d MB%n", failed, peakRssMb());
  }

  static double median(List<Double> v) {
    return org.rdnas.util.Stats.median(v.stream().mapToDouble(Double::doubleValue).toArray());
  }

  static long usedHeapMb() {
    Runtime r = Runtime.getRuntime();
    return (r.totalMemory() - r.freeMemory()) >> 20;
  }

  static long rssMb() throws IOException {
    return statusKb("VmRSS:") >> 10;
  }

  static long peakRssMb() throws IOException {
    return statusKb("VmHWM:") >> 10;
  }

  private static long statusKb(String key) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith(key)) {
        return Long.parseLong(line.replaceAll("\\D+", ""));
      }
    }
    return -1;
  }
}
