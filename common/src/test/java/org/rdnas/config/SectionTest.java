package org.rdnas.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.rdnas.config.Key.integer;
import static org.rdnas.config.Key.string;

import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigValue;
import java.io.File;
import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiConsumer;
import org.junit.jupiter.api.Test;

/** The key declarations against reference.conf, the records, and the proxy registry's weight. */
class SectionTest {
  private static final ConfigObject REFERENCE = ConfigFactory
      .parseResources(SectionTest.class.getClassLoader(), "reference.conf")
      .getObject(ConfigLoader.ROOT);

  @Test
  void everyDeclaredKeyHasADefaultInReferenceConfAndNoOtherKeyDoes() {
    forEachSection(RdnasConfig.SECTION, REFERENCE, (section, defaults) -> {
      Set<String> declared = new TreeSet<>(section.keys().stream().map(Key::name).toList());
      assertEquals(declared, new TreeSet<>(defaults.keySet()), () -> "the keys of "
          + section.path() + " declared in " + section.type().getSimpleName()
          + ".SECTION (left) and in reference.conf (right) must be the same");
      for (Key<?> key : section.keys()) {
        boolean object = defaults.get(key.name()) instanceof ConfigObject;
        assertEquals(key.section() != null, object, () -> section.path() + "." + key.name()
            + " is a section in one of reference.conf and " + section.type().getSimpleName()
            + " only");
      }
    });
  }

  @Test
  void everyKeyIsDescribedForUsersInReferenceConf() {
    List<String> undocumented = new ArrayList<>();
    forEachSection(RdnasConfig.SECTION, REFERENCE, (section, defaults) -> {
      for (Key<?> key : section.keys()) {
        ConfigValue value = defaults.get(key.name());
        if (key.section() == null && value.origin().comments().isEmpty()) {
          undocumented.add(section.path() + "." + key.name());
        }
      }
    });
    assertEquals(List.of(), undocumented, "keys without a comment above them in reference.conf");
  }

  /**
   * Sets one component at a time to a value its key's checks reject, and expects the problem under
   * that key: a constructor that hands its components to Section.check out of order fails here.
   */
  @Test
  void eachKeysChecksApplyToItsOwnComponent() throws Exception {
    RdnasConfig defaults = RdnasConfig.defaults();
    List<String> checked = new ArrayList<>();
    breakEachKey(RdnasConfig.SECTION, defaults, checked);
    for (Key<?> key : RdnasConfig.SECTION.keys()) {
      if (key.section() != null) {
        Object record = RdnasConfig.class.getMethod(Section.camelCase(key.name()))
            .invoke(defaults);
        breakEachKey(key.section(), (Record) record, checked);
      }
    }
    assertTrue(checked.containsAll(List.of("rdnas.train.epochs", "rdnas.output.lease-timeout",
        "rdnas.distill.teacher", "rdnas.device", "rdnas.space.name")), checked::toString);
  }

  private static void breakEachKey(Section<?> section, Record record, List<String> checked)
      throws Exception {
    RecordComponent[] components = section.type().getRecordComponents();
    Object[] values = new Object[components.length];
    for (int i = 0; i < components.length; i++) {
      values[i] = components[i].getAccessor().invoke(record);
    }
    Constructor<?> constructor = section.type().getDeclaredConstructor(
        Arrays.stream(components).map(RecordComponent::getType).toArray(Class<?>[]::new));
    for (int i = 0; i < components.length; i++) {
      Key<?> key = section.keys().get(i);
      if (!key.checked()) {
        continue;
      }
      Object[] broken = values.clone();
      broken[i] = invalid(components[i].getType());
      String expected = section.path() + "." + key.name();
      Object value = broken[i];
      InvocationTargetException e = assertThrows(InvocationTargetException.class,
          () -> constructor.newInstance(broken), expected);
      ConfigurationException problems = assertInstanceOf(ConfigurationException.class,
          e.getCause(), expected);
      assertTrue(problems.problems().stream().anyMatch(p -> p.key().equals(expected)),
          () -> expected + " set to " + value + " was reported as: " + problems.getMessage());
      checked.add(expected);
    }
  }

  /** A value that every check of its type rejects. */
  private static Object invalid(Class<?> type) {
    if (type == int.class) {
      return Integer.MIN_VALUE;
    }
    if (type == long.class) {
      return Long.MIN_VALUE;
    }
    if (type == double.class) {
      return Double.NaN;
    }
    assertFalse(type.isPrimitive(), type::getName);
    return null;
  }

  record Pair(int first, String second) {}

  @Test
  void keysAreDeclaredInComponentOrderAndNamedAlike() {
    IllegalStateException e = assertThrows(IllegalStateException.class,
        () -> Section.of(Pair.class, "t", string("second"), integer("first")));
    assertTrue(e.getMessage().contains("declare the keys in component order"), e.getMessage());
    assertThrows(IllegalStateException.class,
        () -> Section.of(Pair.class, "t", integer("first"), string("2nd")));
    assertThrows(IllegalStateException.class, () -> Section.of(Pair.class, "t", integer("first")));
    Section<Pair> pair = Section.of(Pair.class, "t", integer("first"), string("second"));
    Map<String, Object> expected = new LinkedHashMap<>();
    expected.put("first", 1);
    expected.put("second", "a");
    assertEquals(expected, pair.toMap(new Pair(1, "a")));
    assertEquals("freshStartIfUnreadable", Section.camelCase("fresh-start-if-unreadable"));
    assertEquals("topK", Section.camelCase("top-k"));
  }

  /** Proxy names are checked against ProxyNames, not the registry, which would load DJL. */
  @Test
  void loadingAConfigurationLoadsNeitherTheProxiesNorDjl() throws Exception {
    List<String> requested = new ArrayList<>();
    ClassLoader platform = ClassLoader.getPlatformClassLoader();
    try (URLClassLoader loader = new URLClassLoader(classPath(), platform) {
      @Override
      protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        synchronized (requested) {
          requested.add(name);
        }
        return super.loadClass(name, resolve);
      }
    }) {
      Class<?> config = Class.forName(RdnasConfig.class.getName(), true, loader);
      Object c = config.getMethod("parse", String.class)
          .invoke(null, "rdnas { proxies = [snip, zen], distill.teacher = snip }");
      config.getMethod("render").invoke(c);
      assertTrue(requested.contains(Section.class.getName()), "the probe loaded config itself");
      assertEquals(List.of(), requested.stream()
          .filter(n -> n.startsWith("org.rdnas.proxy.") || n.startsWith("ai.djl.")).toList());
    }
  }

  private static URL[] classPath() throws MalformedURLException {
    List<URL> urls = new ArrayList<>();
    for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
      urls.add(Path.of(entry).toUri().toURL());
    }
    return urls.toArray(URL[]::new);
  }

  /** Calls {@code visit} with each declared section and its object in reference.conf. */
  private static void forEachSection(Section<?> section, ConfigObject defaults,
      BiConsumer<Section<?>, ConfigObject> visit) {
    visit.accept(section, defaults);
    for (Key<?> key : section.keys()) {
      if (key.section() != null && defaults.get(key.name()) instanceof ConfigObject child) {
        forEachSection(key.section(), child, visit);
      }
    }
  }
}
