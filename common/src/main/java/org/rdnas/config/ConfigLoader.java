package org.rdnas.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigFactory;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigOrigin;
import com.typesafe.config.ConfigOriginFactory;
import com.typesafe.config.ConfigParseOptions;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigUtil;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueFactory;
import com.typesafe.config.ConfigValueType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import org.rdnas.config.ConfigurationException.Problem;

/**
 * Reads the configuration layers, merges them (reference.conf &lt; file &lt; key=value), rejects
 * keys that {@link RdnasConfig#SECTION} does not declare, and turns the result into
 * {@link RdnasConfig}.
 */
final class ConfigLoader {
  static final String ROOT = "rdnas";
  static final Path DEFAULT_FILE = Path.of("conf", "application.conf");
  private static final String CONFIG_FLAG = "--config";

  private ConfigLoader() {}

  static RdnasConfig fromArgs(List<String> args, Path baseDir) {
    String file = null;
    List<String> overrides = new ArrayList<>();
    for (int i = 0; i < args.size(); i++) {
      String arg = args.get(i);
      String value = null;
      if (arg.equals(CONFIG_FLAG)) {
        if (i + 1 >= args.size()) {
          throw ConfigurationException.of(CONFIG_FLAG, CONFIG_FLAG + " needs a FILE argument");
        }
        value = args.get(++i);
      } else if (arg.startsWith(CONFIG_FLAG + "=")) {
        value = arg.substring(CONFIG_FLAG.length() + 1);
      } else {
        overrides.add(arg);
        continue;
      }
      if (file != null) {
        throw ConfigurationException.of(CONFIG_FLAG,
            CONFIG_FLAG + " given twice (" + file + ", " + value + "); give one file");
      }
      file = value;
    }
    Config fileLayer;
    if (file != null) {
      Path path = baseDir.resolve(file).toAbsolutePath().normalize();
      if (!Files.isRegularFile(path)) {
        throw ConfigurationException.of(CONFIG_FLAG,
            "configuration file not found: " + path + " (given by " + CONFIG_FLAG + " " + file + ")");
      }
      fileLayer = parseFile(path);
    } else {
      Path path = baseDir.resolve(DEFAULT_FILE);
      fileLayer = Files.isRegularFile(path) ? parseFile(path) : ConfigFactory.empty();
    }
    return build(fileLayer, overrides);
  }

  static RdnasConfig fromText(String hocon, List<String> overrides) {
    Config layer;
    try {
      layer = ConfigFactory.parseString(hocon,
          ConfigParseOptions.defaults().setOriginDescription("configuration text"));
    } catch (ConfigException e) {
      throw ConfigurationException.of(ROOT, "cannot parse configuration text: " + e.getMessage());
    }
    return build(layer, overrides);
  }

  private static Config parseFile(Path path) {
    try {
      return ConfigFactory.parseFile(path.toFile(),
          ConfigParseOptions.defaults().setAllowMissing(false));
    } catch (ConfigException e) {
      throw ConfigurationException.of(CONFIG_FLAG,
          "cannot read configuration file " + path + ": " + e.getMessage());
    }
  }

  private static RdnasConfig build(Config fileLayer, List<String> args) {
    List<Problem> problems = new ArrayList<>();
    Config overrides = ConfigFactory.empty();
    for (String arg : args) {
      try {
        overrides = parseOverride(arg).withFallback(overrides); // a later argument wins
      } catch (ConfigurationException e) {
        problems.addAll(e.problems());
      }
    }
    if (!problems.isEmpty()) {
      throw new ConfigurationException(problems);
    }
    Config reference = Reference.CONFIG;
    Config user = overrides.withFallback(fileLayer);
    Config merged;
    try {
      merged = user.withFallback(reference).resolve();
    } catch (ConfigException e) {
      throw ConfigurationException.of(ROOT, "cannot resolve the configuration: " + e.getMessage());
    }
    if (checkStructure(user, merged, problems)) {
      throw withOrigins(problems, merged);
    }
    RdnasConfig result = null;
    try {
      result = RdnasConfig.SECTION.read(new SectionReader(merged, reference, ROOT, problems));
    } catch (ConfigurationException e) {
      problems.addAll(e.problems());
    }
    if (!problems.isEmpty()) {
      throw withOrigins(problems, merged);
    }
    return result;
  }

  /**
   * One {@code key=value} argument as a one-key Config. Values that start like HOCON ({@code [},
   * {@code {}, a quote) or hold a substitution are parsed as HOCON; anything else is taken as a
   * literal string, because HOCON would cut {@code hdfs://host/x} at {@code //} (a comment) and
   * the getters convert strings to numbers, booleans and durations anyway.
   */
  static Config parseOverride(String arg) {
    int eq = arg.indexOf('=');
    if (eq <= 0) {
      throw ConfigurationException.of(arg, "unexpected argument '" + arg
          + "': expected " + CONFIG_FLAG + " FILE or key=value");
    }
    String key = arg.substring(0, eq).strip();
    String text = arg.substring(eq + 1).strip();
    String path = key.equals(ROOT) || key.startsWith(ROOT + ".") ? key : ROOT + "." + key;
    try {
      ConfigUtil.splitPath(path);
    } catch (ConfigException e) {
      throw ConfigurationException.of(path, "invalid key '" + key + "' in argument '" + arg + "'");
    }
    String where = "command-line argument '" + arg + "'";
    ConfigOrigin origin = ConfigOriginFactory.newSimple(where);
    ConfigValue value;
    if (text.startsWith("[") || text.startsWith("{") || text.startsWith("\"")
        || text.contains("${")) {
      try {
        value = ConfigFactory.parseString("v = " + text,
            ConfigParseOptions.defaults().setOriginDescription(where)).root().get("v");
      } catch (ConfigException e) {
        throw ConfigurationException.of(path, path + " could not be parsed from " + where + ": "
            + e.getMessage());
      }
    } else if (text.equals("null")) {
      value = ConfigValueFactory.fromAnyRef(null, where);
    } else {
      value = ConfigValueFactory.fromAnyRef(text, where);
    }
    return ConfigFactory.empty().withValue(path, value.withOrigin(origin));
  }

  /**
   * Flags keys under rdnas that no section declares and sections replaced by plain values.
   * Returns true when the structure is too broken for typed reading to say anything useful.
   */
  private static boolean checkStructure(Config user, Config merged, List<Problem> problems) {
    Section<RdnasConfig> declared = RdnasConfig.SECTION;
    List<String> known = new ArrayList<>();
    collectPaths(declared, List.of(ROOT), known);
    for (String top : new TreeSet<>(user.root().keySet())) {
      if (!top.equals(ROOT) && declared.key(top) != null) {
        String key = ConfigUtil.joinPath(top);
        problems.add(new Problem(key, "configuration key " + key + " is outside " + ROOT
            + " (did you mean " + ROOT + "." + key + "?)"));
      }
    }
    ConfigValue actual = merged.root().get(ROOT);
    if (actual.valueType() != ConfigValueType.OBJECT) {
      problems.add(new Problem(ROOT, ROOT + " must be an object of settings, got "
          + actual.render(ConfigRenderOptions.concise())));
      return true;
    }
    return walk(declared, (ConfigObject) actual, List.of(ROOT), known, problems);
  }

  private static boolean walk(Section<?> declared, ConfigObject actual, List<String> at,
      List<String> known, List<Problem> problems) {
    boolean fatal = false;
    for (String name : new TreeSet<>(actual.keySet())) {
      List<String> segments = append(at, name);
      String key = ConfigUtil.joinPath(segments);
      Key<?> expected = declared.key(name);
      ConfigValue value = actual.get(name);
      if (expected == null) {
        String hint = Suggestions.closest(key, known);
        problems.add(new Problem(key, "unknown configuration key " + key
            + (hint == null ? "" : " (did you mean " + hint + "?)")));
      } else if (expected.section() != null) {
        if (value.valueType() == ConfigValueType.OBJECT) {
          fatal |= walk(expected.section(), (ConfigObject) value, segments, known, problems);
        } else {
          problems.add(new Problem(key, key + " must be a section of settings (an object), got "
              + value.render(ConfigRenderOptions.concise())));
          fatal = true;
        }
      }
    }
    return fatal;
  }

  private static void collectPaths(Section<?> section, List<String> at, List<String> out) {
    for (String name : new TreeSet<>(section.keys().stream().map(Key::name).toList())) {
      List<String> segments = append(at, name);
      out.add(ConfigUtil.joinPath(segments));
      if (section.key(name).section() != null) {
        collectPaths(section.key(name).section(), segments, out);
      }
    }
  }

  private static List<String> append(List<String> list, String last) {
    List<String> out = new ArrayList<>(list);
    out.add(last);
    return out;
  }

  /** Adds where each bad value was set (file and line, or the argument), unless it is a default. */
  private static ConfigurationException withOrigins(List<Problem> problems, Config merged) {
    List<Problem> out = new ArrayList<>();
    for (Problem p : problems) {
      String suffix = "";
      try {
        ConfigValue value = p.key().startsWith(ROOT) ? valueAt(merged, p.key()) : null;
        if (value != null) {
          ConfigOrigin origin = value.origin();
          if (!"reference.conf".equals(origin.resource())) {
            suffix = " (set in " + origin.description() + ")";
          }
        }
      } catch (ConfigException e) {
        suffix = ""; // a key that is no valid path has no origin to show
      }
      out.add(new Problem(p.key(), p.message() + suffix));
    }
    return new ConfigurationException(out);
  }

  /** The value at key, null values included (Config.getValue refuses those), or null if none. */
  private static ConfigValue valueAt(Config config, String key) {
    ConfigValue value = config.root();
    for (String segment : ConfigUtil.splitPath(key)) {
      if (!(value instanceof ConfigObject object) || !object.containsKey(segment)) {
        return null;
      }
      value = object.get(segment);
    }
    return value;
  }

  /** reference.conf's rdnas tree, parsed once per class loader (lazy holder). */
  private static final class Reference {
    static final Config CONFIG = load();

    private static Config load() {
      Config all = ConfigFactory.parseResources(ConfigLoader.class.getClassLoader(),
          "reference.conf");
      if (!all.hasPath(ROOT)) {
        throw new IllegalStateException("no reference.conf with " + ROOT
            + " defaults on the class path (a shaded jar must append reference.conf files)");
      }
      return all.withOnlyPath(ROOT).resolve();
    }
  }
}
