package org.rdnas.scoring;

import java.util.ArrayList;
import java.util.List;

/**
 * The ranking table's contract, declared once for its writer, its readers and every tool: the
 * columns in order ({@code arch_id}, {@code arch}, {@code canonical_arch_id}, one double per proxy
 * named as the proxy (null when it failed; higher is better for every built-in proxy), one double
 * per rank aggregate named as the aggregate (the merged table only; higher is better),
 * {@code <proxy>_ms} per proxy, {@code status} ({@code ok} or {@code failed}), {@code error} (which
 * proxies failed and why, empty when ok) and the {@code seed} that recomputes the row), and the
 * rdnas keys of each Parquet file's footer.
 */
public final class RankingTableSchema {
  public static final String ARCH_ID = "arch_id";
  public static final String ARCH = "arch";
  public static final String CANONICAL_ARCH_ID = "canonical_arch_id";
  public static final String STATUS = "status";
  public static final String ERROR = "error";
  public static final String SEED = "seed";
  public static final String OK = "ok";
  public static final String FAILED = "failed";
  public static final String MS_SUFFIX = "_ms";

  /** Footer key: "ranking" in every file job 1 writes; its absence means "not ours". */
  public static final String META_TABLE = "rdnas.table";
  /** Footer key: the scoring identity (JSON object), see {@link ScoringSettings#identity()}. */
  public static final String META_IDENTITY = "rdnas.scoring.identity";
  /** Footer key: the run that wrote the file ({@link org.rdnas.io.RunProvenance}, JSON). */
  public static final String META_PROVENANCE = "rdnas.provenance";
  public static final String META_CONFIG = "rdnas.config";
  public static final String META_VERSION = "rdnas.version";
  public static final String META_DJL = "rdnas.djl.version";
  public static final String META_PYTORCH = "rdnas.pytorch.version";
  public static final String META_DEVICE = "rdnas.device";
  public static final String META_DATASET = "rdnas.dataset";
  public static final String META_BATCH_SIZE = "rdnas.proxy.batch-size";
  public static final String META_PROXIES = "rdnas.proxies";
  public static final String META_ROWS = "rdnas.rows";
  public static final String META_CREATED = "rdnas.created";
  /**
   * Footer key: the aggregate columns (JSON list of {name, definition, rows}): each definition as
   * written and the N rows it ranked.
   */
  public static final String META_AGGREGATES = "rdnas.aggregates";
  public static final String TABLE_NAME = "ranking";

  /** A column's physical type. */
  public enum Type { INT64, DOUBLE, STRING }

  /** One column: its name, type and whether it may be null. */
  public record Column(String name, Type type, boolean nullable) {}

  private RankingTableSchema() {}

  /** The columns of a part file, which has no aggregates: {@code columns(proxies, [])}. */
  public static List<Column> columns(List<String> proxies) {
    return columns(proxies, List.of());
  }

  /** The table's columns for {@code proxies} and {@code aggregates} (in column order). */
  public static List<Column> columns(List<String> proxies, List<String> aggregates) {
    List<Column> c = new ArrayList<>();
    c.add(new Column(ARCH_ID, Type.INT64, false));
    c.add(new Column(ARCH, Type.STRING, false));
    c.add(new Column(CANONICAL_ARCH_ID, Type.INT64, false));
    for (String p : proxies) {
      c.add(new Column(p, Type.DOUBLE, true));
    }
    for (String a : aggregates) {
      c.add(new Column(a, Type.DOUBLE, true));
    }
    for (String p : proxies) {
      c.add(new Column(p + MS_SUFFIX, Type.DOUBLE, false));
    }
    c.add(new Column(STATUS, Type.STRING, false));
    c.add(new Column(ERROR, Type.STRING, false));
    c.add(new Column(SEED, Type.INT64, false));
    return List.copyOf(c);
  }

  /** Whether {@code name} is a fixed column or a time column, not a score (proxy or aggregate). */
  public static boolean notAScore(String name) {
    return List.of(ARCH_ID, ARCH, CANONICAL_ARCH_ID, STATUS, ERROR, SEED).contains(name)
        || name.endsWith(MS_SUFFIX);
  }

  /** Every column name for {@code proxies}, in order. */
  public static List<String> columnNames(List<String> proxies) {
    return columns(proxies).stream().map(Column::name).toList();
  }
}
