package org.rdnas.spark.scoring;
import java.io.Serial;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.Path;
import org.apache.spark.api.java.function.ForeachPartitionFunction;
import org.apache.spark.sql.Row;
import org.rdnas.spark.HadoopConfBytes;

/**
 * Writes the committed table's one Parquet file from rows sorted by arch id (the single partition
 * of the merge), keeping the first row of any arch id seen twice (a task attempt that committed
 * twice; both copies hold the same scores) and checking that the expected number of archs arrived.
 * Each row gains its aggregate values, which the driver computed over all rows.
 */
public final class MergeTask implements ForeachPartitionFunction<Row> {
  @Serial private static final long serialVersionUID = 1L;
  public static final String FILE_NAME = "part-00000.parquet";

  private final List<String> proxies;
  private final List<String> aggregates;
  private final HashMap<Long, double[]> aggregateValues;
  private final HadoopConfBytes hadoopConf;
  private final String dir;
  private final HashMap<String, String> footer;
  private final long expectedRows;

  MergeTask(List<String> proxies, List<String> aggregates, HashMap<Long, double[]> aggregateValues,
      HadoopConfBytes hadoopConf, String dir, Map<String, String> footer, long expectedRows) {
    this.proxies = List.copyOf(proxies);
    this.aggregates = List.copyOf(aggregates);
    this.aggregateValues = aggregateValues;
    this.hadoopConf = hadoopConf;
    this.dir = dir;
    this.footer = new HashMap<>(footer);
    this.expectedRows = expectedRows;
  }

  @Override
  public void call(Iterator<Row> rows) throws Exception {
    try (RankingFileWriter out = RankingFileWriter.open(hadoopConf.get(), new Path(dir), FILE_NAME,
        "merge", proxies, aggregates, footer)) {
      long last = -1;
      while (rows.hasNext()) {
        RankingRow r = RankingRow.fromSpark(rows.next(), proxies);
        if (r.archId() == last) {
          continue;
        }
        if (r.archId() < last) {
          throw new IllegalStateException("merge input is not sorted by arch_id at " + r.archId());
        }
        last = r.archId();
        out.write(aggregates.isEmpty() ? r : r.withAggregates(aggregateValues.get(r.archId())));
      }
      if (out.rows() != expectedRows) {
        throw new IllegalStateException("merged " + out.rows() + " distinct archs, expected "
            + expectedRows);
      }
      out.commit();
    }
  }
}
