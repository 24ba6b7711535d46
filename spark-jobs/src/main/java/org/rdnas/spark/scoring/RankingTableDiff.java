package org.rdnas.spark.scoring;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeSet;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;
import org.rdnas.scoring.RankingTableSchema;
import org.rdnas.spark.SparkSessions;

/**
 * Compares two ranking tables cell by cell, timings excepted: same archs, each exactly once, and
 * equal scores, statuses, errors and seeds. Used to show that a disturbed run (a killed executor,
 * another partitioning) made the same table as an undisturbed one.
 *
 * <pre>spark-submit --class org.rdnas.spark.scoring.RankingTableDiff proxy-scoring.jar TABLE_A TABLE_B</pre>
 *
 * Exits 0 when they agree, 1 when they differ (the first differences are printed).
 */
public final class RankingTableDiff {
  private static final int MAX_SHOWN = 10;

  /** The outcome: rows of each table, arch ids seen more than once, and the differences found. */
  record Result(long rowsA, long rowsB, List<Long> duplicates, List<String> differences) {
    boolean same() {
      return duplicates.isEmpty() && differences.isEmpty() && rowsA == rowsB;
    }
  }

  private RankingTableDiff() {}

  public static void main(String[] args) {
    if (args.length != 2) {
      System.err.println("usage: RankingTableDiff TABLE_A TABLE_B");
      System.exit(2);
    }
    SparkSession spark = SparkSessions.create("rdnas ranking table diff");
    Result r;
    try {
      r = compare(spark, args[0], args[1]);
    } finally {
      spark.stop();
    }
    System.out.printf("A: %s (%d rows)%nB: %s (%d rows)%n", args[0], r.rowsA(), args[1], r.rowsB());
    if (r.same()) {
      System.out.printf("SAME: %d archs, each exactly once in both, every score, status, error and "
          + "seed equal (timings not compared)%n", r.rowsA());
      return;
    }
    System.out.println("DIFFERENT:");
    if (!r.duplicates().isEmpty()) {
      System.out.println("  arch ids present more than once: " + r.duplicates());
    }
    r.differences().stream().limit(MAX_SHOWN).forEach(d -> System.out.println("  " + d));
    if (r.differences().size() > MAX_SHOWN) {
      System.out.println("  ... " + (r.differences().size() - MAX_SHOWN) + " more");
    }
    System.exit(1);
  }

  static Result compare(SparkSession spark, String a, String b) {
    List<Long> dups = new ArrayList<>();
    Map<Long, Map<String, Object>> ra = load(spark, a, dups);
    Map<Long, Map<String, Object>> rb = load(spark, b, dups);
    List<String> diffs = new ArrayList<>();
    TreeSet<Long> ids = new TreeSet<>(ra.keySet());
    ids.addAll(rb.keySet());
    for (long id : ids) {
      Map<String, Object> x = ra.get(id);
      Map<String, Object> y = rb.get(id);
      if (x == null || y == null) {
        diffs.add("arch " + id + " only in " + (x == null ? "B" : "A"));
        continue;
      }
      TreeSet<String> cols = new TreeSet<>(x.keySet());
      cols.addAll(y.keySet());
      for (String c : cols) {
        if (!Objects.equals(x.get(c), y.get(c))) {
          diffs.add("arch " + id + " column " + c + ": " + x.get(c) + " vs " + y.get(c));
        }
      }
    }
    return new Result(count(spark, a), count(spark, b), dups, diffs);
  }

  private static long count(SparkSession spark, String table) {
    return spark.read().parquet(table).count();
  }

  /** Rows by arch id, timing columns left out; ids seen twice go to {@code dups}. */
  private static Map<Long, Map<String, Object>> load(SparkSession spark, String table,
      List<Long> dups) {
    StructType schema = spark.read().parquet(table).schema();
    Map<Long, Map<String, Object>> out = new HashMap<>();
    for (Row r : spark.read().parquet(table).collectAsList()) {
      Map<String, Object> m = new HashMap<>();
      for (int i = 0; i < schema.size(); i++) {
        String name = schema.fields()[i].name();
        if (!name.endsWith(RankingTableSchema.MS_SUFFIX)) {
          m.put(name, r.get(i));
        }
      }
      long id = r.getLong(r.fieldIndex(RankingTableSchema.ARCH_ID));
      if (out.put(id, m) != null) {
        dups.add(id);
      }
    }
    return out;
  }
}
