package org.rdnas.config;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Collects the range and consistency problems of one configuration section, so that a record's
 * constructor reports all of them at once, each under its full key and in the order of the keys.
 */
final class Checks {
  private final String section;
  private final List<String> order;
  private final List<ConfigurationException.Problem> problems = new ArrayList<>();
  private final List<Integer> ranks = new ArrayList<>();

  /** Checks for the section at {@code path} whose keys are {@code order}. */
  Checks(String path, List<String> order) {
    this.section = path;
    this.order = order;
  }

  /** The full key: {@code rdnas.train.} and name. */
  String key(String name) {
    return section.isEmpty() ? name : section + "." + name;
  }

  void fail(String name, String message) {
    String key = key(name);
    problems.add(new ConfigurationException.Problem(key, key + " " + message));
    int rank = order.indexOf(name);
    ranks.add(rank < 0 ? order.size() : rank);
  }

  /** Whether no problem has been found with {@code name} so far. */
  boolean passed(String name) {
    String key = key(name);
    return problems.stream().noneMatch(p -> p.key().equals(key));
  }

  void atLeast(String name, long value, long min) {
    if (value < min) {
      fail(name, "must be >= " + min + ", got " + value);
    }
  }

  void finiteAtLeast(String name, double value, double min) {
    if (!Double.isFinite(value) || value < min) {
      fail(name, "must be a number >= " + min + ", got " + value);
    }
  }

  void positive(String name, double value) {
    if (!Double.isFinite(value) || value <= 0) {
      fail(name, "must be a number > 0, got " + value);
    }
  }

  /** {@code min <= value < maxExclusive}. */
  void halfOpen(String name, double value, double min, double maxExclusive) {
    if (!Double.isFinite(value) || value < min || value >= maxExclusive) {
      fail(name, "must be in [" + min + ", " + maxExclusive + "), got " + value);
    }
  }

  void closed(String name, double value, double min, double max, String why) {
    if (!Double.isFinite(value) || value < min || value > max) {
      fail(name, "must be in [" + min + ", " + max + "]" + why + ", got " + value);
    }
  }

  /** {@code value <= bound}, where bound is the value of the key {@code boundName}. */
  void notAbove(String name, long value, String boundName, long bound) {
    if (value > bound) {
      fail(name, "must not exceed " + key(boundName) + " (" + bound + "), got " + value);
    }
  }

  /** As {@link #notAbove(String, long, String, long)} for numbers. */
  void notAbove(String name, double value, String boundName, double bound) {
    if (value > bound) {
      fail(name, "must not exceed " + key(boundName) + " (" + bound + "), got " + value);
    }
  }

  /**
   * A non-empty list without duplicates whose every element is one of {@code valid}; the message
   * lists the valid names, since a typo is the usual cause.
   */
  void subsetOf(String name, List<String> values, List<String> valid) {
    if (values.isEmpty()) {
      fail(name, "must not be empty (valid: " + String.join(", ", valid) + ")");
      return;
    }
    Set<String> seen = new HashSet<>();
    for (String v : values) {
      if (v == null || !valid.contains(v)) {
        fail(name, "contains unknown name '" + v + "' (valid: " + String.join(", ", valid) + ")");
      } else if (!seen.add(v)) {
        fail(name, "contains '" + v + "' twice");
      }
    }
  }

  /** One or more distinct names, each lower case letters, digits and _, starting with a letter. */
  void columnNames(String name, List<String> values) {
    if (values.isEmpty()) {
      fail(name, "must not be empty");
      return;
    }
    Set<String> seen = new HashSet<>();
    for (String v : values) {
      if (v == null || !v.matches("[a-z][a-z0-9_]*")) {
        fail(name, "contains '" + v + "', not a ranking-table column name");
      } else if (!seen.add(v)) {
        fail(name, "contains '" + v + "' twice");
      }
    }
  }

  /** Throws one exception carrying every problem found, if any, in the order of the keys. */
  void throwIfAny() {
    if (problems.isEmpty()) {
      return;
    }
    List<Integer> byKey = new ArrayList<>();
    for (int i = 0; i < problems.size(); i++) {
      byKey.add(i);
    }
    byKey.sort(Comparator.comparing(ranks::get)); // stable: one key's problems keep their order
    throw new ConfigurationException(byKey.stream().map(problems::get).toList());
  }
}
