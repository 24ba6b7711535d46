package org.rdnas.spark.training;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.rdnas.io.HadoopPaths;
import org.rdnas.io.InputException;
import org.rdnas.scoring.RankingTableSchema;
import org.rdnas.space.Arch;
import org.rdnas.space.Nb201SearchSpace;
import org.rdnas.space.SearchSpace;
import org.rdnas.train.RankingTable;

/**
 * Reads job 1's ranking table (Parquet: {@code arch_id}, {@code status}, one double column per
 * proxy, null where a proxy failed) into the driver as a {@link RankingTable} of the rows whose arch
 * is in the search space, with every proxy column it has. Every problem is a
 * {@link InputException} naming the table.
 */
final class RankingTableReader {
  static final String ARCH_ID = "arch_id";
  static final String STATUS = "status";
  static final String OK = "ok";

  private RankingTableReader() {}

  /** A loaded table and how many of the file's rows were outside the search space. */
  record Loaded(String path, RankingTable table, long rows, long outsideSpace) {}

  /**
   * Reads the table at {@code path}, requiring the columns {@code required} (the teacher's).
   *
   * @throws InputException when the table is missing, unreadable, lacks a required column or
   *     has no rows in the space
   */
  static Loaded read(SparkSession spark, String path, SearchSpace space, List<String> required) {
    checkExists(spark, path);
    checkFooters(spark, path);
    Dataset<Row> df;
    try {
      df = spark.read().parquet(path);
    } catch (Exception e) { // AnalysisException is checked in Java's eyes but not declared
      throw new InputException("ranking table " + path + " cannot be read as Parquet: "
          + firstLine(e), e);
    }
    StructType schema = df.schema();
    List<String> names = Arrays.asList(schema.fieldNames());
    for (String c : List.of(ARCH_ID, STATUS)) {
      if (!names.contains(c)) {
        throw new InputException("ranking table " + path + " has no '" + c
            + "' column; its columns: " + names + " (is it proxy-scoring.jar's output?)");
      }
    }
    List<String> missing = required.stream().filter(c -> !names.contains(c)).toList();
    if (!missing.isEmpty()) {
      throw new InputException("ranking table " + path + " has no teacher column"
          + (missing.size() > 1 ? "s " : " ") + "'" + String.join("', '", missing)
          + "' (rdnas.distill.teacher); its columns: " + names
          + ". Score the table with those proxies, or choose a teacher among its columns");
    }
    List<String> proxies = new ArrayList<>();
    for (StructField f : schema.fields()) {
      // A score column: a proxy's or an aggregate's, numeric, not a fixed or time column.
      boolean proxy = !RankingTableSchema.notAScore(f.name());
      if (proxy && f.dataType() instanceof NumericType) {
        proxies.add(f.name());
      } else if (required.contains(f.name())) {
        throw new InputException("ranking table " + path + ": teacher column '" + f.name()
            + "' is " + f.dataType().simpleString() + ", not numeric");
      }
    }
    List<Column> cols = new ArrayList<>();
    cols.add(functions.col(ARCH_ID).cast(DataTypes.LongType));
    cols.add(functions.col(STATUS).cast(DataTypes.StringType));
    for (String p : proxies) {
      cols.add(functions.col(p).cast(DataTypes.DoubleType));
    }
    List<Row> rows = df.select(cols.toArray(new Column[0])).collectAsList();
    if (rows.isEmpty()) {
      throw new InputException("ranking table " + path + " has no rows; rerun "
          + "proxy-scoring.jar or point rdnas.ranking.path at a scored table");
    }
    List<Long> archs = new ArrayList<>();
    List<Boolean> ok = new ArrayList<>();
    List<double[]> values = new ArrayList<>();
    long outside = 0;
    // NAS-Bench-201's op subsets keep the full space's ids: a row outside the subset is skipped.
    long ids = space instanceof Nb201SearchSpace ? Arch.ID_COUNT : space.size();
    for (Row r : rows) {
      if (r.isNullAt(0)) {
        throw new InputException("ranking table " + path + " has a row without arch_id");
      }
      long id = r.getLong(0);
      if (id < 0 || id >= ids) {
        throw new InputException("ranking table " + path + ": arch id " + id + " is not in 0.."
            + (ids - 1) + " (rdnas.space.name = " + space.name() + ")");
      }
      if (!space.contains(id)) {
        outside++;
        continue;
      }
      archs.add(id);
      ok.add(OK.equals(r.isNullAt(1) ? null : r.getString(1)));
      double[] v = new double[proxies.size()];
      for (int i = 0; i < v.length; i++) {
        v[i] = r.isNullAt(2 + i) ? Double.NaN : r.getDouble(2 + i);
      }
      values.add(v);
    }
    if (archs.isEmpty()) {
      throw new InputException("ranking table " + path + ": none of its " + rows.size()
          + " archs is in the search space " + space + " (rdnas.space)");
    }
    boolean[] okArray = new boolean[archs.size()];
    Map<String, double[]> columns = new LinkedHashMap<>();
    for (String p : proxies) {
      columns.put(p, new double[archs.size()]);
    }
    for (int i = 0; i < archs.size(); i++) {
      okArray[i] = ok.get(i);
      for (int j = 0; j < proxies.size(); j++) {
        columns.get(proxies.get(j))[i] = values.get(i)[j];
      }
    }
    try {
      return new Loaded(path, RankingTable.ofArchIds(archs.stream().mapToLong(Long::longValue).toArray(), okArray, columns), rows.size(), outside);
    } catch (InputException e) {
      throw e.within("ranking table " + path);
    }
  }

  /** Whether a table exists at {@code path}. */
  static boolean exists(SparkSession spark, String path) {
    Path p = HadoopPaths.parse(path, "ranking table");
    try {
      return p.getFileSystem(spark.sparkContext().hadoopConfiguration()).exists(p);
    } catch (IOException e) {
      return false;
    }
  }

  private static void checkExists(SparkSession spark, String path) {
    if (!exists(spark, path)) {
      throw new InputException("ranking table " + path + " does not exist; run "
          + "proxy-scoring.jar first (it writes <rdnas.output.path>/ranking) or set "
          + "rdnas.ranking.path");
    }
  }

  /**
   * Reads the Parquet footer of each data file on the driver: Spark infers a schema in a job on the
   * executors, so a file that is not Parquet would fail there, deep in a task's stack trace.
   */
  private static void checkFooters(SparkSession spark, String path) {
    org.apache.hadoop.conf.Configuration conf = spark.sparkContext().hadoopConfiguration();
    List<Path> files = new ArrayList<>();
    try {
      Path p = new Path(path);
      FileSystem fs = p.getFileSystem(conf);
      if (fs.getFileStatus(p).isFile()) {
        files.add(p);
      } else {
        var it = fs.listFiles(p, true);
        while (it.hasNext()) {
          Path f = it.next().getPath();
          String relative = p.toUri().relativize(f.toUri()).getPath();
          // Spark skips names (and folders) starting with '_' or '.', as these are metadata.
          if (Arrays.stream(relative.split("/")).noneMatch(x -> x.startsWith("_") || x.startsWith("."))) {
            files.add(f);
          }
        }
      }
    } catch (IOException e) {
      throw new InputException("ranking table " + path + " cannot be listed: " + e.getMessage(), e);
    }
    if (files.isEmpty()) {
      throw new InputException("ranking table " + path + " holds no data files; rerun "
          + "proxy-scoring.jar or point rdnas.ranking.path at a scored table");
    }
    for (Path f : files) {
      try (var reader = org.apache.parquet.hadoop.ParquetFileReader.open(
          org.apache.parquet.hadoop.util.HadoopInputFile.fromPath(f, conf))) {
        reader.getFooter();
      } catch (IOException | RuntimeException e) {
        throw new InputException("ranking table " + path + ": " + f + " is not a Parquet file ("
            + firstLine(e) + "); point rdnas.ranking.path at proxy-scoring.jar's ranking folder", e);
      }
    }
  }

  static String firstLine(Throwable e) {
    String m = String.valueOf(e.getMessage());
    int nl = m.indexOf('\n');
    return nl < 0 ? m : m.substring(0, nl);
  }
}
