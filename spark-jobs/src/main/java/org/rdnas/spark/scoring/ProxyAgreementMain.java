package org.rdnas.spark.scoring;

import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.rdnas.rank.ProxyAgreement;
import org.rdnas.scoring.RankingTableSchema;
import org.rdnas.spark.SparkSessions;

/**
 * Prints how a ranking table's proxy and aggregate columns agree with each other
 * ({@link ProxyAgreement}: Spearman and Kendall tau-b of every pair), for spaces without ground
 * truth.
 *
 * <pre>spark-submit --class org.rdnas.spark.scoring.ProxyAgreementMain proxy-scoring.jar TABLE</pre>
 */
public final class ProxyAgreementMain {
  private ProxyAgreementMain() {}

  public static void main(String[] args) {
    if (args.length != 1) {
      System.err.println("usage: ProxyAgreementMain TABLE");
      System.exit(2);
    }
    SparkSession spark = SparkSessions.create("rdnas proxy agreement");
    try {
      System.out.print(agreement(spark, args[0]).render());
    } finally {
      spark.stop();
    }
  }

  static ProxyAgreement agreement(SparkSession spark, String table) {
    var df = spark.read().parquet(table).orderBy(RankingTableSchema.ARCH_ID);
    List<String> cols = java.util.Arrays.stream(df.schema().fields())
        .filter(f -> f.dataType().equals(DataTypes.DoubleType)
            && !f.name().endsWith(RankingTableSchema.MS_SUFFIX))
        .map(StructField::name).toList();
    List<Row> rows = df.selectExpr(cols.toArray(new String[0])).collectAsList();
    Map<String, double[]> columns = ProxyAgreement.columns();
    for (int j = 0; j < cols.size(); j++) {
      double[] v = new double[rows.size()];
      for (int i = 0; i < v.length; i++) {
        v[i] = rows.get(i).isNullAt(j) ? Double.NaN : rows.get(i).getDouble(j);
      }
      columns.put(cols.get(j), v);
    }
    System.out.printf("%s: %d archs, columns %s%n", table, rows.size(), cols);
    return ProxyAgreement.of(columns);
  }
}
