package org.rdnas.deploy;

import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The Spark configuration keys the deploy templates may use: a spelling list. Core keys are
 * also checked against Spark's own registry of configuration entries (see
 * {@link #registered(String)}); the YARN and Kubernetes keys, whose modules are not on the test
 * class path, follow Spark 4.2's running-on-yarn and running-on-kubernetes pages.
 */
final class SparkKeys {
  /** Keys of spark-core, each one a registered ConfigEntry. */
  static final Set<String> CORE = Set.of(
      "spark.authenticate", "spark.authenticate.secret", "spark.authenticate.secret.file",
      "spark.network.crypto.enabled", "spark.io.encryption.enabled",
      "spark.eventLog.enabled", "spark.eventLog.dir",
      "spark.driver.extraJavaOptions", "spark.executor.extraJavaOptions",
      "spark.driver.memory", "spark.executor.memory", "spark.executor.memoryOverhead",
      "spark.executor.cores", "spark.task.cpus", "spark.executor.instances");

  /** Keys of the cluster managers and families with a name inside. */
  static final List<Pattern> OTHER = List.of(
      Pattern.compile("spark\\.executorEnv\\.[A-Z_][A-Z0-9_]*"),
      Pattern.compile("spark\\.yarn\\.appMasterEnv\\.[A-Z_][A-Z0-9_]*"),
      Pattern.compile("spark\\.(executor|task)\\.resource\\.gpu\\.amount"),
      Pattern.compile("spark\\.executor\\.resource\\.gpu\\.(discoveryScript|vendor)"),
      Pattern.compile("spark\\.kubernetes\\.(container\\.image|namespace)"),
      Pattern.compile("spark\\.kubernetes\\.authenticate\\.driver\\.serviceAccountName"),
      Pattern.compile("spark\\.kubernetes\\.(driver|executor)\\.secrets\\.[a-z0-9][-a-z0-9.]*"),
      Pattern.compile("spark\\.kubernetes\\.(driver|executor)\\.volumes\\.persistentVolumeClaim"
          + "\\.[a-z0-9][-a-z0-9]*\\.(mount\\.path|options\\.claimName)"));

  private SparkKeys() {}

  static boolean known(String key) {
    return CORE.contains(key) || OTHER.stream().anyMatch(p -> p.matcher(key).matches());
  }

  /** Whether Spark's ConfigEntry registry (filled as spark-core's config objects load) has it. */
  static boolean registered(String key) {
    try {
      Class.forName("org.apache.spark.internal.config.package$", true,
          SparkKeys.class.getClassLoader()).getField("MODULE$").get(null);
      Object companion = Class.forName("org.apache.spark.internal.config.ConfigEntry$")
          .getField("MODULE$").get(null);
      return companion.getClass().getMethod("findEntry", String.class).invoke(companion, key) != null;
    } catch (ReflectiveOperationException e) {
      throw new IllegalStateException("cannot read Spark's configuration registry", e);
    }
  }
}
