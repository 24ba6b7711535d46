package org.rdnas.space;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import org.rdnas.config.SpaceConfig;

/**
 * The registry of search spaces, found with {@link ServiceLoader} as the proxies are: adding a space
 * is a {@link SearchSpace} with its {@link SearchSpace.Provider}, one line in
 * {@code META-INF/services/org.rdnas.space.SearchSpace$Provider}, and its name in
 * {@link SpaceConfig.Name}, which configurations are checked against.
 */
public final class SearchSpaces {
  /** The class count of CIFAR-10 and the synthetic images, which {@link #create(SpaceConfig)} assumes. */
  public static final int DEFAULT_CLASSES = 10;
  private static final Map<String, SearchSpace.Provider> REGISTRY = load();

  private SearchSpaces() {}

  private static Map<String, SearchSpace.Provider> load() {
    Map<String, SearchSpace.Provider> m = new LinkedHashMap<>();
    for (SearchSpace.Provider p : ServiceLoader.load(SearchSpace.Provider.class,
        SearchSpaces.class.getClassLoader())) {
      for (String n : p.names()) {
        if (m.put(n, p) != null) {
          throw new IllegalStateException("two search spaces are named '" + n + "'");
        }
      }
    }
    return Collections.unmodifiableMap(m);
  }

  /** Every registered space name. */
  public static List<String> names() {
    return new ArrayList<>(REGISTRY.keySet());
  }

  /** The space {@code c} names for CIFAR-10's 10 classes; see {@link #create(SpaceConfig, int)}. */
  public static SearchSpace create(SpaceConfig c) {
    return create(c, DEFAULT_CLASSES);
  }

  /**
   * The space {@code c} names, with its settings, for a dataset of {@code classes} classes; an error
   * lists the valid names, or says why the space cannot have that many classes (the NAS-Bench-201
   * spaces have CIFAR-10's 10).
   */
  public static SearchSpace create(SpaceConfig c, int classes) {
    String name = c.name().configName();
    SearchSpace.Provider p = REGISTRY.get(name);
    if (p == null) {
      throw new IllegalArgumentException(
          "unknown search space '" + name + "'; valid: " + String.join(", ", REGISTRY.keySet()));
    }
    if (classes < 1) {
      throw new IllegalArgumentException("classes must be >= 1, got " + classes);
    }
    return p.create(c, classes);
  }
}
