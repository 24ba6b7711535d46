package org.rdnas.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Typed reads of one section of the merged configuration. A value of the wrong type becomes a
 * problem naming its key and value, and the read returns the default from reference.conf instead,
 * so that reading goes on and every problem is reported in one run without follow-on noise.
 */
final class SectionReader {
  private final Config config;
  private final Config reference;
  private final String section;
  private final List<ConfigurationException.Problem> problems;

  SectionReader(Config config, Config reference, String section,
      List<ConfigurationException.Problem> problems) {
    this.config = config;
    this.reference = reference;
    this.section = section;
    this.problems = problems;
  }

  /**
   * The nested section {@code name} read by {@code read}; when that fails, its problems are kept
   * and the section's defaults are read instead, so that the other sections are still checked.
   */
  <T> T section(String name, Function<SectionReader, T> read) {
    try {
      return read.apply(new SectionReader(config, reference, path(name), problems));
    } catch (ConfigurationException e) {
      problems.addAll(e.problems());
      return read.apply(new SectionReader(reference, reference, path(name), new ArrayList<>()));
    }
  }

  String path(String name) {
    return section + "." + name;
  }

  String string(String name) {
    return read(name, "a string", Config::getString);
  }

  /** A string that may be left out: null, a missing key and "" all read as "" (not set). */
  String optionalString(String name) {
    String path = path(name);
    if (!config.hasPath(path)) {
      return "";
    }
    return read(name, "a string", Config::getString);
  }

  int integer(String name) {
    return read(name, "an integer", (c, p) -> {
      long v = integral(c, p);
      if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
        throw new ConfigException.BadValue(p, "out of int range");
      }
      return (int) v;
    });
  }

  long longInteger(String name) {
    return read(name, "an integer", SectionReader::integral);
  }

  double number(String name) {
    return read(name, "a number", Config::getDouble);
  }

  boolean bool(String name) {
    return read(name, "true or false", Config::getBoolean);
  }

  Duration duration(String name) {
    return read(name, "a duration such as 10 minutes, 90s or 2h", Config::getDuration);
  }

  /** A list of strings; a single string is read as a list of one. Null stays null (not set). */
  List<String> stringList(String name) {
    String path = path(name);
    if (config.hasPathOrNull(path) && config.getIsNull(path)) {
      return null;
    }
    return read(name, "a list of strings such as [a, b] (or one string)", (c, p) -> {
      ConfigValue v = c.getValue(p);
      if (v.valueType() == ConfigValueType.STRING) {
        return List.of((String) v.unwrapped());
      }
      return List.copyOf(c.getStringList(p));
    });
  }

  /**
   * A string turned into a domain value by {@code parse}, whose IllegalArgumentException message
   * (which names the valid values) becomes the problem's text.
   */
  <T> T parsed(String name, Function<String, T> parse) {
    String text = string(name);
    try {
      return parse.apply(text);
    } catch (IllegalArgumentException e) {
      problems.add(invalid(name, e));
      return parse.apply(reference.getString(path(name)));
    }
  }

  /** As {@link #stringList}, each element turned into a domain value by {@code parse}. */
  <T> List<T> parsedList(String name, Function<String, T> parse) {
    List<String> texts = stringList(name);
    if (texts == null) {
      return null;
    }
    List<T> out = new ArrayList<>();
    for (String text : texts) {
      try {
        out.add(parse.apply(text));
      } catch (IllegalArgumentException e) {
        problems.add(invalid(name, e));
        String path = path(name);
        return reference.getIsNull(path) ? null
            : reference.getStringList(path).stream().map(parse).toList();
      }
    }
    return out;
  }

  private ConfigurationException.Problem invalid(String name, IllegalArgumentException e) {
    String path = path(name);
    return new ConfigurationException.Problem(
        path, path + " is invalid (" + e.getMessage() + "), got " + describe(path));
  }

  /** One constant of an enum, spelled as {@link ConfigEnum#configName()}. */
  <E extends Enum<E> & ConfigEnum> E choice(String name, Class<E> type) {
    String expected = "one of " + ConfigEnum.choices(type);
    return read(name, expected, (c, p) -> {
      E e = ConfigEnum.find(type, c.getString(p));
      if (e == null) {
        throw new ConfigException.BadValue(p, expected);
      }
      return e;
    });
  }

  private <T> T read(String name, String expected, Getter<T> getter) {
    String path = path(name);
    try {
      if (!config.hasPath(path)) {
        throw new ConfigException.Missing(path);
      }
      return getter.get(config, path);
    } catch (ConfigException e) {
      problems.add(new ConfigurationException.Problem(
          path, path + " must be " + expected + ", got " + describe(path)));
      if (reference.getIsNull(path)) {
        return null; // a list such as space.ops whose default is derived (null)
      }
      return getter.get(reference, path);
    }
  }

  private String describe(String path) {
    if (!config.hasPathOrNull(path)) {
      return "nothing";
    }
    if (config.getIsNull(path)) {
      return "null";
    }
    return config.getValue(path).render(ConfigRenderOptions.concise());
  }

  /** An integer that must be written as one: 2.5 is an error rather than silently 2. */
  private static long integral(Config c, String path) {
    Number n = c.getNumber(path);
    if (n instanceof Integer || n instanceof Long || n instanceof Short || n instanceof Byte) {
      return n.longValue();
    }
    double d = n.doubleValue();
    if (n instanceof BigInteger || n instanceof BigDecimal || d != Math.rint(d)
        || Math.abs(d) > Long.MAX_VALUE) {
      throw new ConfigException.BadValue(path, "not an integer");
    }
    return (long) d;
  }

  @FunctionalInterface
  private interface Getter<T> {
    T get(Config config, String path);
  }
}
