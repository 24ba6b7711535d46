package org.rdnas.config;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Collects the range and consistency problems of one configuration section, so that a record's
 * constructor reports all of them at once, each under its full key.
 */
final class Checks {
  private final String section;
  private final List<ConfigurationException.Problem> problems = new ArrayList<>();

  private Checks(String section) {
    this.section = section;
  }

  /** Checks for the section at {@code path}, for example {@code rdnas.train}. */
  static Checks section(String path) {
    return new Checks(path);
  }

  String key(String name) {
    return section.isEmpty() ? name : section + "." + name;
  }

  void fail(String name, String message) {
    String key = key(name);
    problems.add(new ConfigurationException.Problem(key, key + " " + message));
  }

  boolean notNull(String name, Object value) {
    if (value == null) {
      fail(name, "must be set");
      return false;
    }
    return true;
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

  void notBlank(String name, String value) {
    if (notNull(name, value) && value.isBlank()) {
      fail(name, "must not be empty");
    }
  }

  /**
   * A non-empty list without duplicates whose every element is one of {@code valid}; the message
   * lists the valid names, since a typo is the usual cause.
   */
  void subsetOf(String name, List<String> values, List<String> valid) {
    if (!notNull(name, values)) {
      return;
    }
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

  /** Throws one exception carrying every problem found, if any. */
  void throwIfAny() {
    if (!problems.isEmpty()) {
      throw new ConfigurationException(problems);
    }
  }
}
