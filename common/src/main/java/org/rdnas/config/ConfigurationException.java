package org.rdnas.config;

import java.io.Serial;
import java.io.Serializable;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A configuration that cannot be used: unknown keys, wrong types, out-of-range values, a missing
 * file. Carries every problem found, each naming its key, so one run reports them all.
 */
public final class ConfigurationException extends IllegalArgumentException {
  @Serial private static final long serialVersionUID = 1L;

  /** One problem: the full key (for example {@code rdnas.train.epochs}) and a sentence naming it. */
  public record Problem(String key, String message) implements Serializable {}

  private final List<Problem> problems;

  public ConfigurationException(List<Problem> problems) {
    super(describe(problems));
    this.problems = List.copyOf(problems);
  }

  static ConfigurationException of(String key, String message) {
    return new ConfigurationException(List.of(new Problem(key, message)));
  }

  /** Every problem found, in the order the configuration was checked. */
  public List<Problem> problems() {
    return problems;
  }

  private static String describe(List<Problem> problems) {
    if (problems.isEmpty()) {
      throw new IllegalArgumentException("a ConfigurationException needs at least one problem");
    }
    if (problems.size() == 1) {
      return problems.get(0).message();
    }
    return problems.size() + " configuration problems:"
        + problems.stream().map(p -> "\n  - " + p.message()).collect(Collectors.joining());
  }
}
