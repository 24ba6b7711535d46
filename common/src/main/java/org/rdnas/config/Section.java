package org.rdnas.config;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A configuration section ({@code rdnas}, {@code rdnas.train}, ...) declared as the keys of the
 * record that holds it: key i is record component i, named the same in kebab case
 * ({@code batch-size} is {@code batchSize}), which {@link #of} verifies. Reading, printing, the
 * per-key checks and the set of known keys follow from the declaration; checks between keys stay
 * in the record's constructor.
 *
 * @param <R> the record
 */
final class Section<R extends Record> {
  private final String path;
  private final Class<R> type;
  private final List<Key<?>> keys;
  private final Map<String, Key<?>> byName = new LinkedHashMap<>();
  private final Constructor<R> constructor;
  private final List<Method> accessors;

  private Section(String path, Class<R> type, List<Key<?>> keys) {
    this.path = path;
    this.type = type;
    this.keys = keys;
    RecordComponent[] components = type.getRecordComponents();
    if (components.length != keys.size()) {
      throw new IllegalStateException(path + " declares " + keys.size() + " keys for the "
          + components.length + " components of " + type.getSimpleName());
    }
    for (int i = 0; i < components.length; i++) {
      Key<?> key = keys.get(i);
      RecordComponent component = components[i];
      if (!component.getName().equals(camelCase(key.name())) || component.getType() != key.type()) {
        throw new IllegalStateException(path + ": key " + i + " '" + key.name() + "' ("
            + key.type().getSimpleName() + ") does not match component " + i + " of "
            + type.getSimpleName() + ", " + component.getType().getSimpleName() + " "
            + component.getName() + "; declare the keys in component order, named alike");
      }
      if (byName.put(key.name(), key) != null) {
        throw new IllegalStateException(path + " declares " + key.name() + " twice");
      }
    }
    try {
      constructor = type.getDeclaredConstructor(
          Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new));
    } catch (NoSuchMethodException e) {
      throw new IllegalStateException("a record has a canonical constructor", e);
    }
    accessors = Arrays.stream(components).map(RecordComponent::getAccessor).toList();
  }

  /** The section at {@code path} (such as {@code rdnas.train}) whose record is {@code type}. */
  static <R extends Record> Section<R> of(Class<R> type, String path, Key<?>... keys) {
    return new Section<>(path, type, List.of(keys));
  }

  /** The full path, for example {@code rdnas.train}. */
  String path() {
    return path;
  }

  /** The last segment of the path: {@code train}. */
  String name() {
    return path.substring(path.lastIndexOf('.') + 1);
  }

  Class<R> type() {
    return type;
  }

  List<Key<?>> keys() {
    return keys;
  }

  /** The key named {@code name}, or null when this section has none. */
  Key<?> key(String name) {
    return byName.get(name);
  }

  /**
   * Checks each value against its key, in declaration order; the caller passes every component
   * in order, adds the checks between keys, and calls {@link Checks#throwIfAny()}.
   */
  Checks check(Object... values) {
    if (values.length != keys.size()) {
      throw new IllegalArgumentException(path + " has " + keys.size() + " keys, got "
          + values.length + " values");
    }
    Checks c = new Checks(path, keys.stream().map(Key::name).toList());
    for (int i = 0; i < values.length; i++) {
      keys.get(i).check(c, values[i]);
    }
    return c;
  }

  /** Reads every key (a bad value becomes a problem and its default) and builds the record. */
  R read(SectionReader r) {
    Object[] values = new Object[keys.size()];
    for (int i = 0; i < values.length; i++) {
      values[i] = keys.get(i).read(r);
    }
    try {
      return constructor.newInstance(values);
    } catch (InvocationTargetException e) {
      // What the constructor threw (a ConfigurationException, mostly), not the reflective wrapper.
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      if (e.getCause() instanceof Error cause) {
        throw cause;
      }
      throw new IllegalStateException(e.getCause());
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The record as a map from key name to printed value, in declaration order. */
  Map<String, Object> toMap(R record) {
    Map<String, Object> m = new LinkedHashMap<>();
    for (int i = 0; i < keys.size(); i++) {
      try {
        m.put(keys.get(i).name(), keys.get(i).print(accessors.get(i).invoke(record)));
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException(e); // a record's accessor only returns its field
      }
    }
    return m;
  }

  static String camelCase(String kebab) {
    StringBuilder sb = new StringBuilder();
    boolean upper = false;
    for (char ch : kebab.toCharArray()) {
      if (ch == '-') {
        upper = true;
      } else {
        sb.append(upper ? Character.toUpperCase(ch) : ch);
        upper = false;
      }
    }
    return sb.toString();
  }
}
