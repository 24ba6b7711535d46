package org.rdnas.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.rdnas.io.InputException;
import org.rdnas.rank.Correlation;

/**
 * The ranking the supernet distils: one ranking-table column (the authors' code uses FLOPs), or an
 * ensemble of several, scored by the mean of their ranks (average ranks for ties, among the eligible
 * rows). Higher is better. A row is eligible when it is ok and every teacher column has a value
 * (not NaN); other rows are never drawn.
 */
public final class Teacher {
  private final RankingTable table;
  private final List<String> columns;
  /** Teacher score per row; NaN for ineligible rows. */
  private final double[] scores;
  private final int[] eligible;

  private Teacher(RankingTable table, List<String> columns, double[] scores, int[] eligible) {
    this.table = table;
    this.columns = columns;
    this.scores = scores;
    this.eligible = eligible;
  }

  /**
   * The teacher of {@code columns} (one or more, distinct) over {@code table}.
   *
   * @throws InputException naming a missing column and the table's columns
   */
  public static Teacher of(RankingTable table, List<String> columns) {
    Objects.requireNonNull(table, "table");
    Objects.requireNonNull(columns, "columns");
    if (columns.isEmpty()) {
      throw new InputException("the teacher needs at least one ranking-table column");
    }
    if (columns.stream().distinct().count() != columns.size()) {
      throw new InputException("teacher columns repeat: " + columns);
    }
    List<String> missing = new ArrayList<>();
    for (String c : columns) {
      if (!table.hasColumn(c)) {
        missing.add(c);
      }
    }
    if (!missing.isEmpty()) {
      throw new InputException("ranking table has no teacher column"
          + (missing.size() > 1 ? "s " : " ") + missing + "; available columns: "
          + table.columnNames());
    }
    int n = table.size();
    double[][] cols = new double[columns.size()][];
    for (int c = 0; c < cols.length; c++) {
      cols[c] = table.column(columns.get(c));
    }
    List<Integer> rows = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      boolean ok = table.ok(i);
      for (double[] col : cols) {
        ok &= !Double.isNaN(col[i]);
      }
      if (ok) {
        rows.add(i);
      }
    }
    int[] eligible = rows.stream().mapToInt(Integer::intValue).toArray();
    double[] scores = new double[n];
    java.util.Arrays.fill(scores, Double.NaN);
    if (cols.length == 1) {
      for (int i : eligible) {
        scores[i] = cols[0][i];
      }
    } else {
      for (int i : eligible) {
        scores[i] = 0;
      }
      for (double[] col : cols) {
        double[] v = new double[eligible.length];
        for (int k = 0; k < eligible.length; k++) {
          v[k] = col[eligible[k]];
        }
        double[] r = Correlation.ranks(v);
        for (int k = 0; k < eligible.length; k++) {
          scores[eligible[k]] += r[k] / cols.length;
        }
      }
    }
    return new Teacher(table, List.copyOf(columns), scores, eligible);
  }

  public RankingTable table() {
    return table;
  }

  public List<String> columns() {
    return columns;
  }

  /** The teacher's score of row {@code row} (higher is better); NaN when the row is ineligible. */
  public double score(int row) {
    return scores[row];
  }

  public boolean eligible(int row) {
    return !Double.isNaN(scores[row]);
  }

  /** The eligible rows, ascending. */
  public int[] eligibleRows() {
    return eligible.clone();
  }

  public int eligibleCount() {
    return eligible.length;
  }

  /**
   * Which of rows a and b the teacher ranks higher: B when b's score is strictly higher, else A
   * (ties go to A, as {@code prior1 < prior2} decides in the authors' code).
   */
  public Preference prefers(int rowA, int rowB) {
    if (!eligible(rowA) || !eligible(rowB)) {
      throw new IllegalArgumentException("rows " + rowA + " and " + rowB
          + " must both be eligible (ok, with a teacher value)");
    }
    return scores[rowB] > scores[rowA] ? Preference.B : Preference.A;
  }

  /** The teacher's score of each of {@code archs} (higher is better), null where it has none. */
  public Double[] scores(java.util.List<Long> archs) {
    Double[] s = new Double[archs.size()];
    for (int i = 0; i < s.length; i++) {
      int row = table.rowOf(archs.get(i));
      s[i] = row >= 0 && eligible(row) ? score(row) : null;
    }
    return s;
  }

  @Override
  public String toString() {
    return "Teacher" + columns + "[" + eligible.length + " of " + table.size() + " rows eligible]";
  }
}
