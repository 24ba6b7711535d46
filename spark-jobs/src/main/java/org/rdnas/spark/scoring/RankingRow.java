package org.rdnas.spark.scoring;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.rdnas.proxy.ProxyScore;
import org.rdnas.scoring.RankingTableSchema;

/**
 * One ranking-table row: an arch's id, code and canonical id (as its search space gives them), its
 * score and time for each proxy (NaN score = failed), its status and error text, and the seed that
 * recomputes it. See {@link RankingTableSchema} for columns.
 */
public final class RankingRow {
  private final long archId;
  private final String arch;
  private final long canonicalArchId;
  private final double[] values;
  private final double[] millis;
  private final String error;
  private final long seed;
  private final double[] aggregates;

  private RankingRow(long archId, String arch, long canonicalArchId, double[] values,
      double[] millis, String error, long seed, double[] aggregates) {
    this.archId = archId;
    this.arch = arch;
    this.canonicalArchId = canonicalArchId;
    this.values = values;
    this.millis = millis;
    this.error = error;
    this.seed = seed;
    this.aggregates = aggregates;
  }

  private RankingRow(long archId, String arch, long canonicalArchId, double[] values,
      double[] millis, String error, long seed) {
    this(archId, arch, canonicalArchId, values, millis, error, seed, new double[0]);
  }

  /** This row with the values of the table's aggregate columns (NaN = none). */
  public RankingRow withAggregates(double[] values) {
    return new RankingRow(archId, arch, canonicalArchId, this.values, millis, error, seed,
        values.clone());
  }

  /** Aggregate {@code i}'s value; NaN when it has none (stored as null). */
  public double aggregate(int i) {
    return aggregates[i];
  }

  public int aggregateCount() {
    return aggregates.length;
  }

  /** The row of arch {@code archId} (code {@code arch}) and its {@code scores}, in the table's proxy order. */
  public static RankingRow of(long archId, String arch, long canonicalArchId, List<ProxyScore> scores,
      long seed) {
    double[] v = new double[scores.size()];
    double[] ms = new double[scores.size()];
    List<String> errors = new ArrayList<>();
    for (int i = 0; i < v.length; i++) {
      ProxyScore s = scores.get(i);
      v[i] = s.ok() ? s.value() : Double.NaN;
      ms[i] = s.millis();
      if (!s.ok()) {
        errors.add(s.proxy() + ": " + s.error());
      }
    }
    return new RankingRow(archId, arch, canonicalArchId, v, ms, String.join("; ", errors), seed);
  }

  /** A row where scoring the arch failed as a whole (before or around the proxies). */
  public static RankingRow failed(long archId, String arch, long canonicalArchId, int proxies,
      String why, long seed) {
    double[] v = new double[proxies];
    java.util.Arrays.fill(v, Double.NaN);
    return new RankingRow(archId, arch, canonicalArchId, v, new double[proxies],
        "all proxies: " + why, seed);
  }

  /** The row in a Spark {@code Row} read from a ranking table of {@code proxies}. */
  public static RankingRow fromSpark(Row r, List<String> proxies) {
    int n = proxies.size();
    double[] v = new double[n];
    double[] ms = new double[n];
    for (int i = 0; i < n; i++) {
      int vi = r.fieldIndex(proxies.get(i));
      v[i] = r.isNullAt(vi) ? Double.NaN : r.getDouble(vi);
      ms[i] = r.getDouble(r.fieldIndex(proxies.get(i) + RankingTableSchema.MS_SUFFIX));
    }
    return new RankingRow(r.getLong(r.fieldIndex(RankingTableSchema.ARCH_ID)),
        r.getString(r.fieldIndex(RankingTableSchema.ARCH)),
        r.getLong(r.fieldIndex(RankingTableSchema.CANONICAL_ARCH_ID)), v, ms,
        r.getString(r.fieldIndex(RankingTableSchema.ERROR)),
        r.getLong(r.fieldIndex(RankingTableSchema.SEED)));
  }

  /** The arch's code in its space's notation (NAS-Bench-201: the arch string). */
  public String arch() {
    return arch;
  }

  public long archId() {
    return archId;
  }

  public long canonicalArchId() {
    return canonicalArchId;
  }

  /** Proxy {@code i}'s score; NaN when it failed (stored as null). */
  public double value(int i) {
    return values[i];
  }

  public double millis(int i) {
    return millis[i];
  }

  public int proxyCount() {
    return values.length;
  }

  public boolean ok() {
    return error.isEmpty();
  }

  public String status() {
    return ok() ? RankingTableSchema.OK : RankingTableSchema.FAILED;
  }

  public String error() {
    return error;
  }

  public long seed() {
    return seed;
  }
}
