package org.rdnas.rank;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A named rank aggregate of ranking-table columns, computed over the whole table once every row
 * exists: {@code log-rank-sum}, AZ-NAS's rule, sums ln(rank / N) over the components; {@code
 * mean-rank} averages the ranks. Ranks are average ranks, ascending (higher is better for every
 * column), over the N rows given. A component missing in a row (a failed score, NaN or
 * -infinity) ranks that row lowest, tied with the other missing rows, as AZ-NAS's own -infinity
 * scores rank; a row whose components are all missing gets no aggregate (NaN).
 *
 * <p>Written {@code name = rule(a, b, ...)}, e.g.
 * {@code az_nas = log-rank-sum(az_expressivity, az_progressivity, az_trainability, flops)}.
 *
 * @param name the column it makes
 * @param rule how ranks combine
 * @param of the component columns, two or more, distinct
 */
public record Aggregate(String name, Rule rule, List<String> of) {
  private static final Pattern FORM =
      Pattern.compile("\\s*([a-z][a-z0-9_]*)\\s*=\\s*([a-z-]+)\\s*\\(([^)]*)\\)\\s*");
  private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_]*");

  /** AZ-NAS's own aggregate of its three parts and FLOPs (its complexity). */
  public static final Aggregate AZ_NAS = new Aggregate("az_nas", Rule.LOG_RANK_SUM,
      List.of("az_expressivity", "az_progressivity", "az_trainability", "flops"));

  /** How component ranks combine. */
  public enum Rule {
    /** Sum over components of ln(rank / N) (AZ-NAS). */
    LOG_RANK_SUM("log-rank-sum"),
    /** Mean of the components' ranks. */
    MEAN_RANK("mean-rank");

    private final String text;

    Rule(String text) {
      this.text = text;
    }

    @Override
    public String toString() {
      return text;
    }

    static Rule parse(String s) {
      for (Rule r : values()) {
        if (r.text.equals(s)) {
          return r;
        }
      }
      throw new IllegalArgumentException("unknown rule '" + s + "' (log-rank-sum or mean-rank)");
    }
  }

  public Aggregate {
    if (name == null || !NAME.matcher(name).matches()) {
      throw new IllegalArgumentException("aggregate name '" + name + "' must be lower case letters,"
          + " digits and _, starting with a letter");
    }
    of = List.copyOf(of);
    if (of.size() < 2 || of.stream().distinct().count() != of.size()) {
      throw new IllegalArgumentException("aggregate " + name + " needs two or more distinct "
          + "components, got " + of);
    }
    if (of.contains(name)) {
      throw new IllegalArgumentException("aggregate " + name + " cannot be one of its components");
    }
  }

  /**
   * Parses {@code name = rule(a, b, ...)}.
   *
   * @throws IllegalArgumentException saying what is wrong with {@code text}
   */
  public static Aggregate parse(String text) {
    Matcher m = FORM.matcher(text);
    if (!m.matches()) {
      throw new IllegalArgumentException("'" + text + "' is not of the form "
          + "name = log-rank-sum(a, b, ...) or name = mean-rank(a, b, ...)");
    }
    List<String> of = new ArrayList<>();
    for (String c : m.group(3).split(",")) {
      of.add(c.strip());
    }
    return new Aggregate(m.group(1), Rule.parse(m.group(2)), of);
  }

  /**
   * The aggregate of each row, from {@code columns} (each component's values, one per row, NaN
   * where missing); NaN for a row whose components are all missing.
   *
   * @throws IllegalArgumentException when a component column is absent or of another length
   */
  public double[] compute(Map<String, double[]> columns) {
    int n = -1;
    for (String c : of) {
      double[] v = columns.get(c);
      if (v == null) {
        throw new IllegalArgumentException("aggregate " + name + " needs column " + c
            + "; the table has " + columns.keySet());
      }
      if (n >= 0 && v.length != n) {
        throw new IllegalArgumentException("aggregate " + name + ": columns of different lengths");
      }
      n = v.length;
    }
    double[] out = new double[n];
    int[] present = new int[n];
    for (String c : of) {
      double[] v = columns.get(c);
      double[] lowest = new double[n];
      for (int i = 0; i < n; i++) {
        boolean ok = Double.isFinite(v[i]) || v[i] == Double.POSITIVE_INFINITY;
        lowest[i] = ok ? v[i] : Double.NEGATIVE_INFINITY;
        present[i] += ok ? 1 : 0;
      }
      double[] r = Correlation.ranks(lowest);
      for (int i = 0; i < n; i++) {
        out[i] += rule == Rule.LOG_RANK_SUM ? Math.log(r[i] / n) : r[i] / of.size();
      }
    }
    for (int i = 0; i < n; i++) {
      if (present[i] == 0) {
        out[i] = Double.NaN;
      }
    }
    return out;
  }

  /** The definition as it is written: {@code name = rule(a, b, ...)}. */
  @Override
  public String toString() {
    return String.format(Locale.ROOT, "%s = %s(%s)", name, rule, String.join(", ", of));
  }

  /** Whether every component is among {@code columns}. */
  public boolean coveredBy(java.util.Collection<String> columns) {
    return columns.containsAll(of);
  }
}
