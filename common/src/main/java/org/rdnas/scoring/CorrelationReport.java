package org.rdnas.scoring;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.rdnas.benchmark.Nb201Table;
import org.rdnas.io.InputException;
import org.rdnas.nn.CellConvention;
import org.rdnas.nn.Nb201Network;
import org.rdnas.nn.NetworkConfig;
import org.rdnas.rank.Correlation;
import org.rdnas.rank.TrueRanks;
import org.rdnas.space.Arch;
import org.rdnas.space.Nb201Space;

/**
 * How well each proxy ranks the scored archs against NAS-Bench-201 ground truth: Kendall tau-b and
 * Spearman per proxy, joined on the arch, with FLOPs and parameter counts always included as
 * baselines (computed analytically when the table lacks their columns). Archs missing from the
 * ground truth and failed proxy values are left out pair by pair.
 */
public final class CorrelationReport {
  private static final ObjectMapper JSON = new ObjectMapper();
  /**
   * One proxy's correlation over {@code n} complete pairs, and its zero-shot answer: the arch it
   * scores best, that arch's true accuracy and true rank among every arch of the space, and the
   * best true accuracy among its top 10.
   */
  public record Entry(String proxy, int n, double kendallTauB, double spearman, boolean baseline,
      String top1, double top1Truth, Integer top1TrueRank, double bestTruthInTop10) {}

  /** How many of a proxy's best archs its zero-shot answer looks at. */
  public static final int TOP = 10;

  private final String groundTruth;
  private final String column;
  private final int archs;
  private final int joined;
  private final List<Entry> entries;

  private CorrelationReport(String groundTruth, String column, int archs, int joined,
      List<Entry> entries) {
    this.groundTruth = groundTruth;
    this.column = column;
    this.archs = archs;
    this.joined = joined;
    this.entries = List.copyOf(entries);
  }

  /**
   * Reads the ground-truth CSV (any Hadoop FileSystem path) keeping {@code column}.
   *
   * @throws InputException naming the file when it is missing or malformed
   */
  public static Nb201Table readGroundTruth(String path, String column, Configuration conf) {
    try {
      Path p = new Path(path);
      FileSystem fs = p.getFileSystem(conf);
      Path q = fs.makeQualified(p);
      try (InputStream in = fs.open(q)) {
        return Nb201Table.read(in, q.toString(), List.of(column));
      }
    } catch (FileNotFoundException e) {
      throw new InputException("ground-truth file " + path
          + " (rdnas.ground-truth.path) does not exist");
    } catch (IOException e) {
      throw new InputException("cannot read ground-truth file (rdnas.ground-truth.path): "
          + e.getMessage(), e);
    }
  }

  /**
   * The report for archs {@code ids} with proxy values {@code values} (by proxy, aligned with
   * {@code ids}; NaN = failed), against {@code truth}'s {@code column}.
   */
  public static CorrelationReport compute(long[] ids, Map<String, double[]> values, Nb201Table truth,
      String column, int channels, int cells) {
    TrueRanks space = TrueRanks.of(truth, column, Nb201Space.full());
    double[] gt = new double[ids.length];
    int joined = 0;
    for (int i = 0; i < ids.length; i++) {
      gt[i] = truth.value(column, Arch.fromId(ids[i]));
      if (!Double.isNaN(gt[i])) {
        joined++;
      }
    }
    Map<String, double[]> all = new LinkedHashMap<>(values);
    Map<String, Boolean> baseline = new LinkedHashMap<>();
    for (String b : List.of("flops", "params")) {
      baseline.put(b, true);
      all.computeIfAbsent(b, name -> analytic(name, ids, channels, cells));
    }
    List<Entry> entries = new ArrayList<>();
    for (Map.Entry<String, double[]> e : all.entrySet()) {
      double[] x = e.getValue();
      int n = 0;
      for (int i = 0; i < x.length; i++) {
        if (!Double.isNaN(x[i]) && !Double.isNaN(gt[i])) {
          n++;
        }
      }
      // The zero-shot answer: the archs the proxy scores best (failed scores never).
      Integer[] order = java.util.stream.IntStream.range(0, x.length).boxed()
          .filter(i -> !Double.isNaN(x[i]))
          .sorted((a, b) -> Double.compare(x[b], x[a])).toArray(Integer[]::new);
      String top1 = order.length == 0 ? null : Arch.fromId(ids[order[0]]).toString();
      double top1Truth = order.length == 0 ? Double.NaN : gt[order[0]];
      double best = Double.NaN;
      for (int k = 0; k < Math.min(TOP, order.length); k++) {
        best = Double.isNaN(best) || gt[order[k]] > best ? gt[order[k]] : best;
      }
      entries.add(new Entry(e.getKey(), n, Correlation.kendallTauB(x, gt),
          Correlation.spearman(x, gt), baseline.getOrDefault(e.getKey(), false), top1, top1Truth,
          Double.isNaN(top1Truth) ? null : space.rank(top1Truth), best));
    }
    return new CorrelationReport(truth.source(), column, ids.length, joined, entries);
  }

  /** FLOPs or params (millions) of the benchmark-convention network, as the proxies compute them. */
  private static double[] analytic(String name, long[] ids, int channels, int cells) {
    Nb201Network net = Nb201Network.of(
        NetworkConfig.cifar10(channels, cells, CellConvention.BENCHMARK));
    double[] out = new double[ids.length];
    for (int i = 0; i < ids.length; i++) {
      Arch a = Arch.fromId(ids[i]);
      out[i] = (name.equals("flops") ? net.macs(a) : net.parameterCount(a)) / 1e6;
    }
    return out;
  }

  public List<Entry> entries() {
    return entries;
  }

  /** The ground-truth file. */
  public String groundTruth() {
    return groundTruth;
  }

  /** The ground-truth column compared with. */
  public String column() {
    return column;
  }

  /** Archs in the table. */
  public int archs() {
    return archs;
  }

  /** Archs of the table that the ground truth has. */
  public int joined() {
    return joined;
  }

  /** A fixed-width table for the console. */
  public String render() {
    StringBuilder sb = new StringBuilder();
    sb.append(String.format("correlation with %s (%s), %d of %d archs found in the ground truth:%n",
        column, groundTruth, joined, archs));
    sb.append(String.format("  %-16s %6s %14s %10s %12s %10s %14s%n", "proxy", "n",
        "kendall_tau_b", "spearman", "top-1 true", "true rank", "best of top 10"));
    for (Entry e : entries) {
      sb.append(String.format("  %-16s %6d %14s %10s %12s %10s %14s%s%n", e.proxy(), e.n(),
          fmt(e.kendallTauB()), fmt(e.spearman()), fmt(e.top1Truth()),
          e.top1TrueRank() == null ? "n/a" : e.top1TrueRank().toString(),
          fmt(e.bestTruthInTop10()), e.baseline() ? "   (baseline)" : ""));
    }
    return sb.toString();
  }

  private static String fmt(double v) {
    return Double.isNaN(v) ? "n/a" : String.format("%.4f", v);
  }

  /** The report as JSON; NaN (too few pairs) is written as null. */
  public String toJson() {
    ObjectNode root = JSON.createObjectNode();
    root.put("ground_truth", groundTruth);
    root.put("column", column);
    root.put("archs", archs);
    root.put("archs_in_ground_truth", joined);
    ArrayNode list = root.putArray("proxies");
    for (Entry e : entries) {
      ObjectNode o = list.addObject();
      o.put("proxy", e.proxy());
      o.put("n", e.n());
      putNumber(o, "kendall_tau_b", e.kendallTauB());
      putNumber(o, "spearman", e.spearman());
      o.put("baseline", e.baseline());
      o.put("top1_arch", e.top1());
      putNumber(o, "top1_true_accuracy", e.top1Truth());
      if (e.top1TrueRank() == null) {
        o.putNull("top1_true_rank");
      } else {
        o.put("top1_true_rank", e.top1TrueRank());
      }
      putNumber(o, "best_true_accuracy_in_top10", e.bestTruthInTop10());
    }
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void putNumber(ObjectNode o, String key, double v) {
    if (Double.isNaN(v)) {
      o.putNull(key);
    } else {
      o.put(key, v);
    }
  }
}
