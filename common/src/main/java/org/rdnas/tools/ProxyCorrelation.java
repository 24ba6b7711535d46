package org.rdnas.tools;

import ai.djl.ndarray.NDManager;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
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
import org.rdnas.rank.Aggregate;
import org.rdnas.rank.Correlation;
import org.rdnas.space.Arch;
import org.rdnas.space.Nb201Space;

/**
 * Real-world check of the proxies and their rank aggregates: scores a seeded sample of
 * NAS-Bench-201 archs on real CIFAR-10 minibatches and prints, per proxy, Spearman and Kendall
 * tau-b with NAS-Bench-201 accuracy, and for the ten classic proxies those of the published
 * NAS-Bench-Suite-Zero values on the same archs and the rank agreement of ours with them (published
 * values exist for the 9,445 nets without dead ops; zen for all). A failed score (a disconnected
 * net) ranks lowest, as Suite-Zero's -1e8 sentinel does.
 *
 * <p>Aggregates are chosen honestly: the sample's first {@code select} archs choose an aggregate
 * (every subset of two to {@code max-size} proxies under both rules, best Spearman there), and every
 * aggregate (AZ-NAS's own, the configured ones and the chosen one) is reported on the other archs
 * only, which took no part in the choice.
 *
 * <p>Usage: {@code ProxyCorrelation [key=value ...]}: {@code csv} (NAS-Bench-201 CSV),
 * {@code cifar} (CIFAR-10 file or folder), {@code archs=700}, {@code select=200}, {@code seed=0},
 * {@code column=valid_test_acc}, {@code proxies=all} (or a comma list), {@code threads=1}
 * (scoring threads, each its own scorer), {@code scores=FILE} (a CSV of the scores, appended as
 * archs are scored and read back first, so a run resumes and can be analysed again without
 * scoring), {@code scored-only=true} (analyse the sample's archs the scores file already holds,
 * in sample order, scoring none: a stopped run's prefix), {@code aggregates="a = rule(x, y); ..."},
 * {@code max-size=4}.
 */
public final class ProxyCorrelation {
  /** Our proxy name to the Suite-Zero column of the shared CSV. */
  static final Map<String, String> PUBLISHED = Map.of("synflow", "synflow", "snip", "snip",
      "grasp", "grasp", "fisher", "fisher", "grad_norm", "grad_norm", "jacob_cov", "jacov",
      "naswot", "nwot", "zen", "zen", "flops", "flops", "params", "params");

  private ProxyCorrelation() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> opt = new LinkedHashMap<>();
    for (String a : args) {
      int eq = a.indexOf('=');
      if (eq < 1) {
        System.err.println("ProxyCorrelation: expected key=value, got '" + a + "'");
        System.exit(2);
      }
      opt.put(a.substring(0, eq), a.substring(eq + 1));
    }
    Path csv = Path.of(opt.getOrDefault("csv", "../shared/data/nasbench201/nb201_cifar10.csv"));
    String cifar = opt.getOrDefault("cifar", "../shared/data/cifar10");
    int n = Integer.parseInt(opt.getOrDefault("archs", "700"));
    int select = Integer.parseInt(opt.getOrDefault("select", "200"));
    long seed = Long.parseLong(opt.getOrDefault("seed", "0"));
    String truthColumn = opt.getOrDefault("column", "valid_test_acc");
    int threads = Integer.parseInt(opt.getOrDefault("threads", "1"));
    int maxSize = Integer.parseInt(opt.getOrDefault("max-size", "4"));
    String names = opt.getOrDefault("proxies", "all");
    List<String> proxies = names.equals("all") ? Proxies.names() : List.of(names.split(","));
    List<Aggregate> configured = new ArrayList<>();
    for (String a : opt.getOrDefault("aggregates", "").split(";")) {
      if (!a.isBlank()) {
        configured.add(Aggregate.parse(a));
      }
    }
    if (select < 2 || n - select < 2) {
      System.err.println("ProxyCorrelation: select must leave at least 2 archs on each side");
      System.exit(2);
    }

    List<String> cols = new ArrayList<>(List.of(truthColumn));
    cols.addAll(PUBLISHED.values().stream().distinct().toList());
    cols.add("sz_no_dead_ops");
    Nb201Table table;
    try (InputStream in = Files.newInputStream(csv)) {
      table = Nb201Table.read(in, csv.toString(), cols);
    }
    List<Arch> archs = Nb201Space.full().sample(n, seed);
    Path scoresFile = opt.containsKey("scores") ? Path.of(opt.get("scores")) : null;
    if (Boolean.parseBoolean(opt.getOrDefault("scored-only", "false"))) {
      if (scoresFile == null || !Files.exists(scoresFile)) {
        System.err.println("ProxyCorrelation: scored-only needs an existing scores file");
        System.exit(2);
      }
      java.util.Set<Integer> scored = new java.util.HashSet<>();
      List<String> lines = Files.readAllLines(scoresFile);
      for (String line : lines.subList(1, lines.size())) {
        scored.add(Integer.parseInt(line.substring(0, line.indexOf(','))));
      }
      archs = archs.stream().filter(a -> scored.contains(a.id())).toList();
      n = archs.size();
      if (select < 2 || n - select < 2) {
        System.err.println("ProxyCorrelation: only " + n + " sampled archs are scored");
        System.exit(2);
      }
    }
    Map<String, double[]> ours = score(archs, proxies, cifar, seed, threads, scoresFile);
    double[] truth = archs.stream().mapToDouble(a -> table.value(truthColumn, a)).toArray();

    System.out.printf("%d archs sampled with seed %d from all 15,625; ground truth %s; the first %d"
        + " choose aggregates, the other %d report them%n", n, seed, truthColumn, select,
        n - select);
    System.out.printf("%n%-18s %9s %9s %9s | %6s %13s %16s %14s%n", "proxy", "rho(held)",
        "tau(held)", "rho(all)", "n", "ours/acc (n)", "published/acc (n)", "ours/published");
    for (String p : proxies) {
      double[] v = ours.get(p);
      System.out.printf("%-18s %9.3f %9.3f %9.3f", p, spearman(v, truth, select, n),
          kendall(v, truth, select, n), Correlation.spearman(lowest(v), truth));
      if (PUBLISHED.containsKey(p)) {
        printPublished(p, v, archs, table, truth);
      }
      System.out.println();
    }

    List<Aggregate> aggregates = new ArrayList<>(configured);
    if (Aggregate.AZ_NAS.coveredBy(proxies)) {
      aggregates.add(0, Aggregate.AZ_NAS);
    }
    Aggregate chosen = choose(ours, proxies, truth, select, maxSize);
    aggregates.add(chosen);
    System.out.printf("%nchosen on the first %d archs (best Spearman of %s of 2..%d proxies): %s"
        + "%n%n", select, "every subset", maxSize, chosen);
    int width = aggregates.stream().mapToInt(a -> a.toString().length()).max().orElse(9);
    String first = "%-" + width + "s";
    System.out.printf(first + " %9s %9s %9s%n", "aggregate", "rho(sel)", "rho(held)", "tau(held)");
    for (Aggregate a : aggregates) {
      double[] sel = a.compute(slice(ours, 0, select));
      double[] held = a.compute(slice(ours, select, n));
      System.out.printf(Locale.ROOT, first + " %9.3f %9.3f %9.3f%n", a,
          Correlation.spearman(sel,
          java.util.Arrays.copyOfRange(truth, 0, select)),
          Correlation.spearman(held, java.util.Arrays.copyOfRange(truth, select, n)),
          Correlation.kendallTauB(held, java.util.Arrays.copyOfRange(truth, select, n)));
    }
  }

  /** Scores {@code archs} (reading back what {@code file} holds, appending what it lacks). */
  private static Map<String, double[]> score(List<Arch> archs, List<String> proxies, String cifar,
      long seed, int threads, Path file) throws Exception {
    int n = archs.size();
    Map<String, double[]> out = new LinkedHashMap<>();
    proxies.forEach(p -> out.put(p, new double[n]));
    Map<Integer, Integer> index = new HashMap<>();
    for (int i = 0; i < n; i++) {
      index.put(archs.get(i).id(), i);
    }
    boolean[] done = new boolean[n];
    if (file != null && Files.exists(file)) {
      List<String> lines = Files.readAllLines(file);
      List<String> header = List.of(lines.get(0).split(","));
      for (String line : lines.subList(1, lines.size())) {
        String[] f = line.split(",");
        Integer i = index.get(Integer.parseInt(f[0]));
        if (i == null || f.length != header.size()) {
          continue;
        }
        for (String p : proxies) {
          int c = header.indexOf(p);
          if (c < 0) {
            throw new IOException(file + " has no column " + p + "; score into another file");
          }
          out.get(p)[i] = Double.parseDouble(f[c]);
        }
        done[i] = true;
      }
    }
    List<Integer> todo = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      if (!done[i]) {
        todo.add(i);
      }
    }
    if (todo.isEmpty()) {
      return out;
    }
    var data = BatchAssembler.standard(Datasets.load(DataSource.CIFAR10, cifar,
        Cifar10.NO_LIMIT, 0));
    Nb201Network net = Nb201Network.of(NetworkConfig.cifar10(CellConvention.SEARCH));
    BufferedWriter w = null;
    if (file != null) {
      boolean fresh = !Files.exists(file);
      w = Files.newBufferedWriter(file, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
          StandardOpenOption.APPEND);
      if (fresh) {
        w.write("arch_index," + String.join(",", proxies) + "\n");
        w.flush();
      }
    }
    BufferedWriter writer = w;
    AtomicInteger next = new AtomicInteger();
    AtomicInteger count = new AtomicInteger();
    long t0 = System.nanoTime();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    List<Future<?>> work = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      work.add(pool.submit(() -> {
        ProxyScorer scorer = ProxyScorer.builder(net, Proxies.byNames(proxies)).optData(data)
            .optBatchSize(64).optSeed(seed).build();
        try (NDManager root = NDManager.newBaseManager()) {
          for (int k = next.getAndIncrement(); k < todo.size(); k = next.getAndIncrement()) {
            int i = todo.get(k);
            StringBuilder line = new StringBuilder().append(archs.get(i).id());
            Map<String, Double> byName = new HashMap<>();
            for (ProxyScore s : scorer.score(root, archs.get(i))) {
              byName.put(s.proxy(), s.ok() ? s.value() : Double.NaN);
            }
            for (String p : proxies) {
              double v = byName.get(p);
              out.get(p)[i] = v;
              line.append(',').append(v);
            }
            if (writer != null) {
              synchronized (writer) {
                writer.write(line.append('\n').toString());
                writer.flush();
              }
            }
            int c = count.incrementAndGet();
            if (c % 25 == 0) {
              System.err.printf("scored %d/%d archs, %.2f s per arch%n", c, todo.size(),
                  (System.nanoTime() - t0) / 1e9 / c);
            }
          }
        }
        return null;
      }));
    }
    for (Future<?> f : work) {
      f.get();
    }
    pool.shutdown();
    if (writer != null) {
      writer.close();
    }
    return out;
  }

  /** The aggregate of 2..maxSize proxies with the best Spearman on the first {@code select}. */
  private static Aggregate choose(Map<String, double[]> ours, List<String> proxies, double[] truth,
      int select, int maxSize) {
    Map<String, double[]> sel = slice(ours, 0, select);
    double[] t = java.util.Arrays.copyOfRange(truth, 0, select);
    Aggregate best = null;
    double bestRho = Double.NEGATIVE_INFINITY;
    int m = proxies.size();
    for (int mask = 0; mask < (1 << m); mask++) {
      int k = Integer.bitCount(mask);
      if (k < 2 || k > maxSize) {
        continue;
      }
      List<String> of = new ArrayList<>();
      for (int j = 0; j < m; j++) {
        if ((mask & (1 << j)) != 0) {
          of.add(proxies.get(j));
        }
      }
      for (Aggregate.Rule rule : Aggregate.Rule.values()) {
        Aggregate a = new Aggregate("chosen", rule, of);
        double rho = Correlation.spearman(a.compute(sel), t);
        if (rho > bestRho) {
          bestRho = rho;
          best = a;
        }
      }
    }
    return best;
  }

  private static Map<String, double[]> slice(Map<String, double[]> columns, int from, int to) {
    Map<String, double[]> out = new LinkedHashMap<>();
    columns.forEach((k, v) -> out.put(k, java.util.Arrays.copyOfRange(v, from, to)));
    return out;
  }

  /** Failed scores (NaN) as -infinity: they rank lowest. */
  private static double[] lowest(double[] v) {
    double[] o = v.clone();
    for (int i = 0; i < o.length; i++) {
      o[i] = Double.isNaN(o[i]) ? Double.NEGATIVE_INFINITY : o[i];
    }
    return o;
  }

  private static double spearman(double[] v, double[] truth, int from, int to) {
    return Correlation.spearman(java.util.Arrays.copyOfRange(lowest(v), from, to),
        java.util.Arrays.copyOfRange(truth, from, to));
  }

  private static double kendall(double[] v, double[] truth, int from, int to) {
    return Correlation.kendallTauB(java.util.Arrays.copyOfRange(lowest(v), from, to),
        java.util.Arrays.copyOfRange(truth, from, to));
  }

  private static void printPublished(String p, double[] v, List<Arch> archs, Nb201Table table,
      double[] truth) {
    List<double[]> rows = new ArrayList<>();
    for (int i = 0; i < archs.size(); i++) {
      Arch a = archs.get(i);
      double pub = table.value(PUBLISHED.get(p), a);
      if (!Double.isNaN(pub) && (p.equals("zen") || table.value("sz_no_dead_ops", a) == 1)) {
        rows.add(new double[] {Double.isNaN(v[i]) ? Double.NEGATIVE_INFINITY : v[i],
            pub <= -1e8 ? Double.NEGATIVE_INFINITY : pub, truth[i]});
      }
    }
    double[] o = rows.stream().mapToDouble(r -> r[0]).toArray();
    double[] pu = rows.stream().mapToDouble(r -> r[1]).toArray();
    double[] acc = rows.stream().mapToDouble(r -> r[2]).toArray();
    System.out.printf(Locale.ROOT, " | %6d %13.3f %16.3f %14.3f", o.length,
        Correlation.spearman(o, acc), Correlation.spearman(pu, acc), Correlation.spearman(o, pu));
  }
}
