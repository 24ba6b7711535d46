package org.rdnas.spark;

import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.rdnas.proxy.ProxyScore;
import org.rdnas.space.Arch;
import org.rdnas.space.Nb201Space;

/**
 * One ranking-table row: an arch's score and time for each proxy (NaN score = failed), its
 * status and error text, and the seed that recomputes it. See {@link RankingSchema} for columns.
 */
final class RankingRow {
  private final Arch arch;
  private final double[] values;
  private final double[] millis;
  private final String error;
  private final long seed;

  private RankingRow(Arch arch, double[] values, double[] millis, String error, long seed) {
    this.arch = arch;
    this.values = values;
    this.millis = millis;
    this.error = error;
    this.seed = seed;
  }

  /** The row of {@code scores}, which are in the table's proxy order. */
  static RankingRow of(Arch arch, List<ProxyScore> scores, long seed) {
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
    return new RankingRow(arch, v, ms, String.join("; ", errors), seed);
  }

  /** A row where scoring the arch failed as a whole (before or around the proxies). */
  static RankingRow failed(Arch arch, int proxies, String why, long seed) {
    double[] v = new double[proxies];
    java.util.Arrays.fill(v, Double.NaN);
    return new RankingRow(arch, v, new double[proxies], "all proxies: " + why, seed);
  }

  /** The row in a Spark {@code Row} read from a ranking table of {@code proxies}. */
  static RankingRow fromSpark(Row r, List<String> proxies) {
    int n = proxies.size();
    double[] v = new double[n];
    double[] ms = new double[n];
    for (int i = 0; i < n; i++) {
      int vi = r.fieldIndex(proxies.get(i));
      v[i] = r.isNullAt(vi) ? Double.NaN : r.getDouble(vi);
      ms[i] = r.getDouble(r.fieldIndex(proxies.get(i) + RankingSchema.MS_SUFFIX));
    }
    Arch arch = Arch.fromId(r.getLong(r.fieldIndex(RankingSchema.ARCH_ID)));
    return new RankingRow(arch, v, ms, r.getString(r.fieldIndex(RankingSchema.ERROR)),
        r.getLong(r.fieldIndex(RankingSchema.SEED)));
  }

  Arch arch() {
    return arch;
  }

  long archId() {
    return arch.id();
  }

  long canonicalArchId() {
    return Nb201Space.canonical(arch).id();
  }

  /** Proxy {@code i}'s score; NaN when it failed (stored as null). */
  double value(int i) {
    return values[i];
  }

  double millis(int i) {
    return millis[i];
  }

  int proxyCount() {
    return values.length;
  }

  boolean ok() {
    return error.isEmpty();
  }

  String status() {
    return ok() ? RankingSchema.OK : RankingSchema.FAILED;
  }

  String error() {
    return error;
  }

  long seed() {
    return seed;
  }
}
