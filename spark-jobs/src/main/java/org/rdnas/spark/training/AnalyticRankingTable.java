package org.rdnas.spark.training;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.rdnas.nn.CellConvention;
import org.rdnas.nn.Nb201Network;
import org.rdnas.nn.NetworkConfig;
import org.rdnas.space.Arch;
import org.rdnas.space.Nb201Space;

/**
 * A ranking table with only the two analytic proxies, {@code flops} (MACs) and {@code params},
 * computed without any network run, in job 1's layout: enough for an RD-NAS run with the authors'
 * FLOPs teacher without scoring the data-driven proxies first. The benchmark and fault-injection
 * scripts use it.
 *
 * <pre>
 *   spark-submit --class org.rdnas.spark.training.AnalyticRankingTable distill-train.jar \
 *       OUT_PATH [SPACE=nb201-no-none] [C=16] [N=5] [ARCHS=all] [SEED=0]
 * </pre>
 */
public final class AnalyticRankingTable {
  private AnalyticRankingTable() {}

  public static void main(String[] args) {
    if (args.length < 1 || args.length > 6) {
      System.err.println("usage: AnalyticRankingTable OUT_PATH [SPACE] [C] [N] [ARCHS|all] [SEED]");
      System.exit(2);
    }
    String out = args[0];
    Nb201Space space = Nb201Space.named(arg(args, 1, "nb201-no-none"));
    int c = Integer.parseInt(arg(args, 2, "16"));
    int n = Integer.parseInt(arg(args, 3, "5"));
    String count = arg(args, 4, "all");
    long seed = Long.parseLong(arg(args, 5, "0"));
    List<Arch> archs = count.equals("all") ? space.stream().toList()
        : space.sample(Integer.parseInt(count), seed);
    SparkSession spark = SparkSession.builder().appName("rdnas analytic ranking table")
        .getOrCreate();
    try {
      write(spark, out, archs, Nb201Network.of(NetworkConfig.cifar10(c, n, CellConvention.SEARCH)), seed);
    } finally {
      spark.stop();
    }
    System.out.println("wrote " + archs.size() + " archs of " + space + " to " + out);
  }

  /** Writes the table of {@code archs} scored on {@code network} to {@code out} (Parquet). */
  public static void write(SparkSession spark, String out, List<Arch> archs, Nb201Network network,
      long seed) {
    List<Row> rows = new ArrayList<>(archs.size());
    for (Arch a : archs) {
      rows.add(RowFactory.create((long) a.id(), a.toString(), (long) Nb201Space.canonical(a).id(),
          (double) network.macs(a), (double) network.parameterCount(a), 0.0, 0.0, "ok", "", seed));
    }
    StructType schema = new StructType()
        .add("arch_id", DataTypes.LongType, false).add("arch", DataTypes.StringType, false)
        .add("canonical_arch_id", DataTypes.LongType, false)
        .add("flops", DataTypes.DoubleType, true).add("params", DataTypes.DoubleType, true)
        .add("flops_ms", DataTypes.DoubleType, false).add("params_ms", DataTypes.DoubleType, false)
        .add("status", DataTypes.StringType, false).add("error", DataTypes.StringType, false)
        .add("seed", DataTypes.LongType, false);
    spark.createDataFrame(rows, schema).coalesce(1).write().parquet(out);
  }

  private static String arg(String[] args, int i, String dflt) {
    return args.length > i ? args[i] : dflt;
  }
}
