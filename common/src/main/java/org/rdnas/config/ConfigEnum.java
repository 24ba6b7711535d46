package org.rdnas.config;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * An enum whose constants are spelled in configuration files as lower-case words joined by
 * hyphens: {@code NB201_NO_NONE} is {@code nb201-no-none}.
 */
public interface ConfigEnum {
  /** The constant's Java name; implemented by every enum. */
  String name();

  /** The spelling used in configuration files and in the rendered configuration. */
  default String configName() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }

  /** The constant of {@code type} spelled {@code text}, or null when there is none. */
  static <E extends Enum<E> & ConfigEnum> E find(Class<E> type, String text) {
    for (E e : type.getEnumConstants()) {
      if (e.configName().equals(text)) {
        return e;
      }
    }
    return null;
  }

  /** The valid spellings of {@code type}, for error messages: {@code "a | b | c"}. */
  static <E extends Enum<E> & ConfigEnum> String choices(Class<E> type) {
    return Arrays.stream(type.getEnumConstants())
        .map(ConfigEnum::configName)
        .collect(Collectors.joining(" | "));
  }
}
