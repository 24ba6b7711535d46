package org.rdnas.tools;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rdnas.benchmark.Nb201Table;
import org.rdnas.data.BatchAssembler;
import org.rdnas.data.Cifar10;
import org.rdnas.data.DataSource;
import org.rdnas.data.Datasets;
import org.rdnas.nn.CellConvention;
import org.rdnas.nn.Nb201Network;
import org.rdnas.nn.NetworkConfig;
import org.rdnas.proxy.Proxies;
import org.rdnas.proxy.ProxyScore;
import org.rdnas.proxy.ProxyScorer;
import org.rdnas.rank.Correlation;
import org.rdnas.space.Arch;
import org.rdnas.space.Nb201Space;

/**
 * Real-world check of the proxies: scores a seeded sample of NAS-Bench-201 archs on real CIFAR-10
 * minibatches and prints, per proxy, the Spearman correlation of our values with NAS-Bench-201 accuracy,
 * that of the published NAS-Bench-Suite-Zero values on the same archs, and the rank agreement (Spearman)
 * between ours and the published ones. Published values exist for the 9,445 nets without dead ops
 * (zen: for all): the same-arch comparison uses the sampled archs that have their own published value,
 * since the canonical form of a net with dead ops has other FLOPs and parameter counts. A failed score
 * (a disconnected net) ranks lowest, as Suite-Zero's -1e8 sentinel does.
 *
 * <p>Usage: {@code ProxyCorrelation NB201_CSV CIFAR10_PATH [archs=500] [seed=0] [column=valid_test_acc]}
 */
public final class ProxyCorrelation {
  /** Our proxy name to the Suite-Zero column of the shared CSV. */
  static final Map<String, String> PUBLISHED = Map.of("synflow", "synflow", "snip", "snip",
      "grasp", "grasp", "fisher", "fisher", "grad_norm", "grad_norm", "jacob_cov", "jacov",
      "naswot", "nwot", "zen", "zen", "flops", "flops", "params", "params");

  private ProxyCorrelation() {}

  public static void main(String[] args) throws IOException {
    if (args.length < 2) {
      System.err.println("usage: ProxyCorrelation NB201_CSV CIFAR10_PATH [archs=500] [seed=0] [column]");
      System.exit(2);
    }
    Path csv = Path.of(args[0]);
    int n = args.length > 2 ? Integer.parseInt(args[2]) : 500;
    long seed = args.length > 3 ? Long.parseLong(args[3]) : 0;
    String truthColumn = args.length > 4 ? args[4] : "valid_test_acc";
    List<String> cols = new ArrayList<>(List.of(truthColumn));
    cols.addAll(PUBLISHED.values().stream().distinct().toList());
    cols.add("sz_no_dead_ops");
    Nb201Table table;
    try (InputStream in = Files.newInputStream(csv)) {
      table = Nb201Table.read(in, csv.toString(), cols);
    }
    var data = Datasets.load(DataSource.CIFAR10, args[1], Cifar10.NO_LIMIT, 0);
    Nb201Network net = Nb201Network.of(NetworkConfig.cifar10(CellConvention.SEARCH));
    ProxyScorer scorer = ProxyScorer.builder(net, Proxies.byNames(Proxies.DEFAULT))
        .optData(BatchAssembler.standard(data)).optBatchSize(64).optSeed(seed).build();
    List<Arch> archs = Nb201Space.full().sample(n, seed);
    Map<String, double[]> ours = new LinkedHashMap<>();
    Proxies.DEFAULT.forEach(p -> ours.put(p, new double[n]));
    double[] truth = new double[n];
    long t0 = System.nanoTime();
    try (NDManager root = NDManager.newBaseManager()) {
      for (int i = 0; i < n; i++) {
        Arch a = archs.get(i);
        truth[i] = table.value(truthColumn, a);
        for (ProxyScore s : scorer.score(root, a)) {
          ours.get(s.proxy())[i] = s.ok() ? s.value() : Double.NEGATIVE_INFINITY;
        }
        if ((i + 1) % 25 == 0) {
          System.err.printf("scored %d/%d archs, %.1f s per arch%n", i + 1, n,
              (System.nanoTime() - t0) / 1e9 / (i + 1));
        }
      }
    }
    System.out.printf("%d archs sampled with seed %d from all 15,625; ground truth %s; CIFAR-10 %s%n",
        n, seed, truthColumn, data.origin());
    System.out.printf("%-10s %8s %6s %13s %16s %14s%n", "proxy", "ours/acc", "n", "ours/acc (n)",
        "published/acc (n)", "ours/published");
    for (String p : Proxies.DEFAULT) {
      List<Double> o = new ArrayList<>();
      List<Double> pub = new ArrayList<>();
      List<Double> acc = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        Arch a = archs.get(i);
        double v = table.value(PUBLISHED.get(p), a);
        boolean own = !Double.isNaN(v) && (p.equals("zen") || table.value("sz_no_dead_ops", a) == 1);
        if (own) {
          o.add(ours.get(p)[i]);
          pub.add(v <= -1e8 ? Double.NEGATIVE_INFINITY : v);
          acc.add(truth[i]);
        }
      }
      double[] oa = o.stream().mapToDouble(Double::doubleValue).toArray();
      double[] pa = pub.stream().mapToDouble(Double::doubleValue).toArray();
      double[] aa = acc.stream().mapToDouble(Double::doubleValue).toArray();
      System.out.printf("%-10s %8.3f %6d %13.3f %16.3f %14.3f%n", p, Correlation.spearman(ours.get(p), truth),
          oa.length, Correlation.spearman(oa, aa), Correlation.spearman(pa, aa), Correlation.spearman(oa, pa));
    }
  }
}
