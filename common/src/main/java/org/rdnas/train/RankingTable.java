package org.rdnas.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.rdnas.io.InputException;
import org.rdnas.space.Arch;

/**
 * Job 1's ranking table in memory, as job 2's driver uses it: one row per arch, a status per row
 * (ok or failed) and one double column per proxy by name (higher is better; NaN where a proxy has
 * no value). Immutable. Built from plain arrays, so any reader (Parquet, Arrow, CSV) can fill it.
 */
public final class RankingTable {
  private final long[] archs;
  private final boolean[] ok;
  private final Map<String, double[]> columns;
  private final Map<Long, Integer> rowOf;

  private RankingTable(long[] archs, boolean[] ok, Map<String, double[]> columns) {
    this.archs = archs;
    this.ok = ok;
    this.columns = columns;
    this.rowOf = new HashMap<>(archs.length * 2);
    for (int i = 0; i < archs.length; i++) {
      Integer before = rowOf.put(archs[i], i);
      if (before != null) {
        throw new InputException("ranking table lists arch id " + archs[i] + " twice (rows "
            + before + " and " + i + ")");
      }
    }
  }

  /** As {@link #ofArchIds} with NAS-Bench-201 archs. */
  public static RankingTable of(List<Arch> archs, boolean[] ok, Map<String, double[]> columns) {
    return ofArchIds(archs.stream().mapToLong(a -> Objects.requireNonNull(a, "arch").id())
        .toArray(), ok, columns);
  }

  /**
   * A table of the archs {@code archIds} (distinct ids of their space), their status
   * ({@code ok[i]} false for a failed row) and proxy columns, each as long as {@code archIds}; the
   * arrays are copied, column order is kept.
   */
  public static RankingTable ofArchIds(long[] archIds, boolean[] ok, Map<String, double[]> columns) {
    Objects.requireNonNull(archIds, "archIds");
    Objects.requireNonNull(ok, "ok");
    Objects.requireNonNull(columns, "columns");
    int n = archIds.length;
    if (ok.length != n) {
      throw new IllegalArgumentException(
          "ranking table has " + n + " archs but " + ok.length + " status values");
    }
    Map<String, double[]> copy = new LinkedHashMap<>();
    for (Map.Entry<String, double[]> e : columns.entrySet()) {
      String name = Objects.requireNonNull(e.getKey(), "column name");
      double[] v = Objects.requireNonNull(e.getValue(), "column '" + name + "'");
      if (v.length != n) {
        throw new IllegalArgumentException("ranking-table column '" + name + "' has " + v.length
            + " values for " + n + " archs");
      }
      copy.put(name, v.clone());
    }
    return new RankingTable(archIds.clone(), ok.clone(), copy);
  }

  public int size() {
    return archs.length;
  }

  /** The id of row {@code row}'s arch. */
  public long archId(int row) {
    return archs[row];
  }

  /** Whether row {@code row} was scored without failure. */
  public boolean ok(int row) {
    return ok[row];
  }

  /** The row of arch {@code archId}, or -1 when the table does not list it. */
  public int rowOf(long archId) {
    Integer r = rowOf.get(archId);
    return r == null ? -1 : r;
  }

  /** Column names in table order. */
  public List<String> columnNames() {
    return Collections.unmodifiableList(new ArrayList<>(columns.keySet()));
  }

  public boolean hasColumn(String name) {
    return columns.containsKey(name);
  }

  /** A copy of column {@code name}. */
  public double[] column(String name) {
    return values(name).clone();
  }

  /** Column {@code name}'s value in row {@code row}. */
  public double value(String name, int row) {
    return values(name)[row];
  }

  private double[] values(String name) {
    double[] v = columns.get(name);
    if (v == null) {
      throw new IllegalArgumentException(
          "ranking table has no column '" + name + "'; available columns: " + columns.keySet());
    }
    return v;
  }

  @Override
  public String toString() {
    int okRows = 0;
    for (boolean b : ok) {
      okRows += b ? 1 : 0;
    }
    return "RankingTable[" + archs.length + " rows (" + okRows + " ok), columns "
        + Arrays.toString(columns.keySet().toArray()) + "]";
  }
}
