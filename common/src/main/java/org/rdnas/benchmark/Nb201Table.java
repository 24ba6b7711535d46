package org.rdnas.benchmark;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rdnas.space.Arch;

/**
 * A NAS-Bench-201 table in the shared CSV layout (header row, one row per arch, an {@code arch_str}
 * column, numeric columns, empty cell = not available): ground truth and published proxy values, keyed
 * by arch id. Only the requested numeric columns are kept.
 */
public final class Nb201Table {
  private final String source;
  private final Map<String, double[]> columns;
  private final Map<Integer, Integer> rowOfArch;
  private final Arch[] archs;

  private Nb201Table(String source, Map<String, double[]> columns, Map<Integer, Integer> rowOfArch,
      Arch[] archs) {
    this.source = source;
    this.columns = columns;
    this.rowOfArch = rowOfArch;
    this.archs = archs;
  }

  /**
   * Reads {@code in} keeping {@code wanted} numeric columns; {@code source} names the input in errors.
   *
   * @throws IOException naming the source, line and column of anything malformed or missing
   */
  public static Nb201Table read(InputStream in, String source, List<String> wanted) throws IOException {
    return read(in, source, wanted, List.of());
  }

  /**
   * As {@link #read(InputStream, String, List)}, keeping the {@code optional} numeric columns too
   * where the header has them.
   */
  public static Nb201Table read(InputStream in, String source, List<String> wanted,
      List<String> optional) throws IOException {
    BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    String header = r.readLine();
    if (header == null) {
      throw new IOException(source + ": empty file, expected a header row");
    }
    List<String> names = Arrays.asList(header.split(",", -1));
    List<String> kept = new ArrayList<>(wanted);
    optional.stream().filter(c -> names.contains(c) && !kept.contains(c)).forEach(kept::add);
    wanted = kept;
    int archCol = names.indexOf("arch_str");
    if (archCol < 0) {
      throw new IOException(source + ": no arch_str column in header " + names);
    }
    int[] idx = new int[wanted.size()];
    for (int i = 0; i < idx.length; i++) {
      idx[i] = names.indexOf(wanted.get(i));
      if (idx[i] < 0) {
        throw new IOException(source + ": no column '" + wanted.get(i) + "'; columns are " + names);
      }
    }
    List<double[]> rows = new ArrayList<>();
    List<Arch> archs = new ArrayList<>();
    Map<Integer, Integer> rowOfArch = new HashMap<>();
    String line;
    int lineNo = 1;
    while ((line = r.readLine()) != null) {
      lineNo++;
      if (line.isBlank()) {
        continue;
      }
      String[] f = line.split(",", -1);
      if (f.length != names.size()) {
        throw new IOException(source + ": line " + lineNo + " has " + f.length + " fields, header has "
            + names.size());
      }
      Arch a;
      try {
        a = Arch.parse(f[archCol]);
      } catch (IllegalArgumentException e) {
        throw new IOException(source + ": line " + lineNo + ": " + e.getMessage(), e);
      }
      double[] v = new double[idx.length];
      for (int i = 0; i < idx.length; i++) {
        String cell = f[idx[i]].strip();
        try {
          v[i] = cell.isEmpty() ? Double.NaN : Double.parseDouble(cell);
        } catch (NumberFormatException e) {
          throw new IOException(source + ": line " + lineNo + ", column " + wanted.get(i)
              + ": not a number: '" + cell + "'", e);
        }
      }
      if (rowOfArch.put(a.id(), rows.size()) != null) {
        throw new IOException(source + ": line " + lineNo + ": arch " + a + " appears twice");
      }
      rows.add(v);
      archs.add(a);
    }
    Map<String, double[]> cols = new LinkedHashMap<>();
    for (int i = 0; i < idx.length; i++) {
      double[] c = new double[rows.size()];
      for (int j = 0; j < c.length; j++) {
        c[j] = rows.get(j)[i];
      }
      cols.put(wanted.get(i), c);
    }
    return new Nb201Table(source, cols, Collections.unmodifiableMap(rowOfArch),
        archs.toArray(new Arch[0]));
  }

  /** Whether the table holds {@code column}. */
  public boolean has(String column) {
    return columns.containsKey(column);
  }

  public String source() {
    return source;
  }

  public int size() {
    return archs.length;
  }

  public Arch arch(int row) {
    return archs[row];
  }

  /** Row of {@code a}, or -1 when the table does not hold it. */
  public int rowOf(Arch a) {
    return rowOfArch.getOrDefault(a.id(), -1);
  }

  /** Value of {@code column} for {@code a}; NaN when the cell is empty or the arch is absent. */
  public double value(String column, Arch a) {
    int row = rowOf(a);
    return row < 0 ? Double.NaN : column(column)[row];
  }

  /** The values of a kept column, by row (read-only view: do not modify). */
  public double[] column(String column) {
    double[] c = columns.get(column);
    if (c == null) {
      throw new IllegalArgumentException(source + ": column '" + column + "' was not loaded; loaded "
          + columns.keySet());
    }
    return c;
  }
}
