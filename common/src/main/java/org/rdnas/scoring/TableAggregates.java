package org.rdnas.scoring;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import org.rdnas.io.Json;
import org.rdnas.rank.Aggregate;

/**
 * The ranking table's aggregate columns: their values over every row, and their record in the
 * table's footer ({@link RankingTableSchema#META_AGGREGATES}: each definition and the N rows it
 * ranked), by which a later run tells whether the stored columns are the configured ones.
 */
public final class TableAggregates {
  private TableAggregates() {}

  /**
   * Each arch's aggregate values, in {@code aggregates}' order, from {@code byId}: every row of
   * the table, each the values of {@code proxies} (NaN where the proxy failed).
   */
  public static HashMap<Long, double[]> compute(SortedMap<Long, double[]> byId,
      List<String> proxies, List<Aggregate> aggregates) {
    int n = byId.size();
    Map<String, double[]> columns = new LinkedHashMap<>();
    for (String p : proxies) {
      columns.put(p, new double[n]);
    }
    int i = 0;
    for (double[] row : byId.values()) {
      for (int j = 0; j < proxies.size(); j++) {
        columns.get(proxies.get(j))[i] = row[j];
      }
      i++;
    }
    List<double[]> values = aggregates.stream().map(a -> a.compute(columns)).toList();
    HashMap<Long, double[]> out = new HashMap<>();
    i = 0;
    for (long id : byId.keySet()) {
      double[] v = new double[aggregates.size()];
      for (int k = 0; k < v.length; k++) {
        v[k] = values.get(k)[i];
      }
      out.put(id, v);
      i++;
    }
    return out;
  }

  /** The definitions as written, the key a stored table is compared by. */
  public static List<String> definitions(List<Aggregate> aggregates) {
    return aggregates.stream().map(Aggregate::toString).toList();
  }

  /** The footer value recording {@code aggregates} over {@code rows} rows. */
  public static String footer(List<Aggregate> aggregates, long rows) {
    List<Map<String, Object>> list = new ArrayList<>();
    for (Aggregate a : aggregates) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("name", a.name());
      m.put("definition", a.toString());
      m.put("rows", rows);
      list.add(m);
    }
    try {
      return Json.MAPPER.writeValueAsString(list);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The definitions a table's footer records (none for a table written without aggregates). */
  public static List<String> stored(Map<String, String> footer) {
    String json = footer.get(RankingTableSchema.META_AGGREGATES);
    if (json == null) {
      return List.of();
    }
    try {
      List<String> out = new ArrayList<>();
      Json.MAPPER.readTree(json).forEach(a -> out.add(a.path("definition").asText()));
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException("the footer's " + RankingTableSchema.META_AGGREGATES
          + " is not JSON", e);
    }
  }
}
