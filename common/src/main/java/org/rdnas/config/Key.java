package org.rdnas.config;

import java.lang.invoke.MethodType;
import java.time.Duration;
import java.util.List;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.rdnas.rank.Aggregate;

/**
 * One configuration key, declared once: its name, its Java type, how it is read from HOCON and
 * printed back, and the checks on its value alone. Its default and its description for users are
 * in reference.conf (SectionTest keeps the two in step); a {@link Section} lists its keys.
 *
 * <p>A key is required (null is "must be set") unless it is an optional one: a string that may be
 * left empty, or a list whose null means a derived default.
 *
 * @param name the key's name in its section, such as {@code batch-size}
 * @param type the record component's type: {@code int}, not Integer, for an integer
 * @param section the nested section when this key is one, else null
 * @param <T> the value's type, boxed for primitives
 */
record Key<T>(String name, Class<?> type, BiFunction<SectionReader, String, T> reader,
    Function<? super T, ?> printer, boolean optional, List<Check<? super T>> checks,
    Section<?> section) {
  /** A check of one key's value, reported under the key's name. */
  @FunctionalInterface
  interface Check<T> {
    void apply(Checks c, String name, T value);
  }

  // @SafeVarargs with "varargs" suppressed, as on the JDK's List.of: the arrays are only read.
  @SafeVarargs
  @SuppressWarnings("varargs")
  static Key<Integer> integer(String name, Check<? super Integer>... checks) {
    return plain(name, int.class, SectionReader::integer, List.of(checks));
  }

  /** An integer that may exceed int, such as a seed. */
  @SafeVarargs
  @SuppressWarnings("varargs")
  static Key<Long> longInteger(String name, Check<? super Long>... checks) {
    return plain(name, long.class, SectionReader::longInteger, List.of(checks));
  }

  @SafeVarargs
  @SuppressWarnings("varargs")
  static Key<Double> number(String name, Check<? super Double>... checks) {
    return plain(name, double.class, SectionReader::number, List.of(checks));
  }

  static Key<Boolean> bool(String name) {
    return plain(name, boolean.class, SectionReader::bool, List.of());
  }

  @SafeVarargs
  @SuppressWarnings("varargs")
  static Key<String> string(String name, Check<? super String>... checks) {
    return plain(name, String.class, SectionReader::string, List.of(checks));
  }

  /** A string that may be left out: null, a missing key and "" read as "" (not set). */
  static Key<String> optionalString(String name) {
    return new Key<>(name, String.class, SectionReader::optionalString, v -> v, true, List.of(),
        null);
  }

  /** A list of strings; a single string is a list of one. */
  @SafeVarargs
  @SuppressWarnings("varargs")
  static Key<List<String>> stringList(String name, Check<? super List<String>>... checks) {
    return plain(name, List.class, SectionReader::stringList, List.of(checks));
  }

  /** A duration, printed in HOCON's unit syntax ({@code 10m}, {@code 1500ms}). */
  @SafeVarargs
  @SuppressWarnings("varargs")
  static Key<Duration> duration(String name, Check<? super Duration>... checks) {
    return new Key<>(name, Duration.class, SectionReader::duration, Durations::render, false,
        List.of(checks), null);
  }

  static <E extends Enum<E> & ConfigEnum> Key<E> choice(String name, Class<E> type) {
    return new Key<>(name, type, (r, n) -> r.choice(n, type), ConfigEnum::configName, false,
        List.of(), null);
  }

  /**
   * A domain value spelled as a string; {@code parse} throws IllegalArgumentException naming the
   * valid spellings.
   */
  static <T> Key<T> parsed(String name, Class<T> type, Function<String, T> parse,
      Function<T, String> print) {
    return new Key<>(name, type, (r, n) -> r.parsed(n, parse), print, false, List.of(), null);
  }

  /** A list of domain values whose null (the reference.conf default) means a derived default. */
  static <T> Key<List<T>> optionalList(String name, Function<String, T> parse,
      Function<T, String> print) {
    return new Key<>(name, List.class, (r, n) -> r.parsedList(n, parse),
        v -> v.stream().map(print).toList(), true, List.of(), null);
  }

  /** A nested section, read on its own so that its problems do not hide those of the others. */
  static <S extends Record> Key<S> section(Section<S> section) {
    return new Key<>(section.name(), section.type(), (r, n) -> r.section(n, section::read),
        section::toMap, false, List.of(), section);
  }

  /** A required value printed as it is. */
  private static <T> Key<T> plain(String name, Class<?> type,
      BiFunction<SectionReader, String, T> reader, List<Check<? super T>> checks) {
    return new Key<>(name, type, reader, v -> v, false, checks, null);
  }

  static Check<Number> atLeast(long min) {
    return (c, name, v) -> c.atLeast(name, v.longValue(), min);
  }

  static Check<Double> positive() {
    return Checks::positive;
  }

  static Check<Double> finiteAtLeast(double min) {
    return (c, name, v) -> c.finiteAtLeast(name, v, min);
  }

  /** {@code min <= value < maxExclusive}. */
  static Check<Double> halfOpen(double min, double maxExclusive) {
    return (c, name, v) -> c.halfOpen(name, v, min, maxExclusive);
  }

  /** {@code min <= value <= max}; {@code why} follows the interval in the message. */
  static Check<Double> closed(double min, double max, String why) {
    return (c, name, v) -> c.closed(name, v, min, max, why);
  }

  static Check<String> notBlank() {
    return (c, name, v) -> {
      if (v.isBlank()) {
        c.fail(name, "must not be empty");
      }
    };
  }

  /** A non-empty list of distinct names from {@code valid}. */
  static Check<List<String>> namesFrom(List<String> valid) {
    return (c, name, v) -> c.subsetOf(name, v, valid);
  }

  /** Ranking-table column names: one or more, distinct, each a proxy's or aggregate's name form. */
  static Check<List<String>> columnNames() {
    return (c, name, v) -> c.columnNames(name, v);
  }

  /** Rank-aggregate definitions ({@link Aggregate#parse}), each name defined once. */
  static Check<List<String>> aggregates() {
    return (c, name, v) -> {
      java.util.Set<String> names = new java.util.HashSet<>();
      for (String text : v) {
        try {
          Aggregate a = Aggregate.parse(text);
          if (!names.add(a.name())) {
            c.fail(name, "defines '" + a.name() + "' twice");
          }
        } catch (IllegalArgumentException e) {
          // Aggregate.parse is the judge of the syntax; its message names what is wrong.
          c.fail(name, e.getMessage());
        }
      }
    };
  }

  /** Whether some value of this key's type fails its checks (required, or checked). */
  boolean checked() {
    return !(optional || (type.isPrimitive() && checks.isEmpty()));
  }

  T read(SectionReader r) {
    return reader.apply(r, name);
  }

  Object print(Object value) {
    return printer.apply(cast(value));
  }

  void check(Checks c, Object value) {
    if (value == null) {
      if (!optional) {
        c.fail(name, "must be set");
      }
      return;
    }
    T v = cast(value);
    for (Check<? super T> check : checks) {
      check.apply(c, name, v);
    }
  }

  @SuppressWarnings("unchecked")
  private T cast(Object value) {
    Class<?> boxed = MethodType.methodType(type).wrap().returnType();
    if (!boxed.isInstance(value)) {
      // The values handed to Section.check are out of the record's component order.
      throw new IllegalArgumentException("key " + name + " takes " + type.getName() + ", got "
          + value.getClass().getName() + " " + value);
    }
    return (T) value;
  }
}
