package org.rdnas.spark.training;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.rdnas.config.RdnasConfig;
import org.rdnas.nn.CellConvention;
import org.rdnas.nn.Nb201Network;
import org.rdnas.nn.NetworkConfig;
import org.rdnas.scoring.Candidates;
import org.rdnas.scoring.RankingTableSchema;
import org.rdnas.space.Arch;
import org.rdnas.space.Nb201Space;
import org.rdnas.spark.JobMain;
import org.rdnas.spark.LazySession;

/**
 * A ranking table with only the two analytic proxies, {@code flops} (MACs) and {@code params},
 * computed without any network run, in job 1's layout ({@link RankingTableSchema}): enough for an
 * RD-NAS run with the authors' FLOPs teacher without scoring the data-driven proxies first. The
 * benchmark and fault-injection scripts use it. It takes the jobs' configuration: the candidates of
 * {@code rdnas.candidates} on the supernet of {@code rdnas.space}, written to
 * {@code rdnas.ranking.path}, each row with seed {@code rdnas.proxy.seed}.
 *
 * <pre>
 *   spark-submit --class org.rdnas.spark.training.AnalyticRankingTable distill-train.jar \
 *       [--config FILE] [key=value ...]
 * </pre>
 */
public final class AnalyticRankingTable {
  private static final String JOB = "analytic-ranking-table";
  private static final List<String> PROXIES = List.of("flops", "params");

  private AnalyticRankingTable() {}

  public static void main(String[] args) {
    LazySession sessions = new LazySession("rdnas " + JOB);
    int status = JobMain.run(JOB, () -> {
      RdnasConfig config = RdnasConfig.load(args);
      SparkSession spark = sessions.get();
      config.space().space(); // NAS-Bench-201 only: an error for another space
      Candidates candidates = Candidates.resolve(config.candidates(), config.space().searchSpace(),
          spark.sparkContext().hadoopConfiguration());
      List<Arch> archs = new ArrayList<>();
      for (long id : candidates.ids()) {
        archs.add(Arch.fromId(id));
      }
      write(spark, config.rankingPath(), archs, Nb201Network.of(NetworkConfig.cifar10(
          config.space().channels(), config.space().cells(), CellConvention.SEARCH)),
          config.proxy().seed());
      System.out.println(JOB + ": wrote " + candidates.description() + " to "
          + config.rankingPath());
    }, sessions::stop);
    if (status != 0) {
      System.exit(status);
    }
  }

  /** Writes the table of {@code archs} scored on {@code network} to {@code out} (Parquet). */
  public static void write(SparkSession spark, String out, List<Arch> archs, Nb201Network network,
      long seed) {
    List<Row> rows = new ArrayList<>(archs.size());
    for (Arch a : archs) {
      rows.add(RowFactory.create((long) a.id(), a.toString(), (long) Nb201Space.canonical(a).id(),
          (double) network.macs(a), (double) network.parameterCount(a), 0.0, 0.0,
          RankingTableSchema.OK, "", seed));
    }
    List<StructField> fields = new ArrayList<>();
    for (RankingTableSchema.Column c : RankingTableSchema.columns(PROXIES)) {
      DataType t = switch (c.type()) {
        case INT64 -> DataTypes.LongType;
        case DOUBLE -> DataTypes.DoubleType;
        case STRING -> DataTypes.StringType;
      };
      fields.add(DataTypes.createStructField(c.name(), t, c.nullable()));
    }
    spark.createDataFrame(rows, DataTypes.createStructType(fields)).coalesce(1).write()
        .parquet(out);
  }
}
