package org.rdnas.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.ConfigurationSource;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.properties.PropertiesConfigurationFactory;
import org.apache.logging.log4j.core.impl.Log4jLogEvent;
import org.apache.logging.log4j.message.SimpleMessage;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The drivers' and the tests' log4j2 configurations drop the false alarms of a good run (DJL's CUDA
 * probe, Spark's "All paths were ignored" for job 1's hidden parts folder, Spark's shortened plan
 * strings) and keep the other warnings of those loggers.
 */
class LoggingConfigurationTest {
  private static final String CUDA = "ai.djl.util.cuda.CudaUtils";
  private static final String DATA_SOURCE = "org.apache.spark.sql.execution.datasources.DataSource";

  private static Configuration load(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file)) {
      Configuration c = new PropertiesConfigurationFactory().getConfiguration(
          new LoggerContext("test"), new ConfigurationSource(in, file.toFile()));
      c.initialize();
      return c;
    }
  }

  private static boolean dropped(LoggerConfig config, String message) {
    return config.isFiltered(Log4jLogEvent.newBuilder().setLoggerName(config.getName())
        .setLevel(Level.WARN).setMessage(new SimpleMessage(message)).build());
  }

  @ParameterizedTest
  @ValueSource(strings = {"../conf/log4j2.properties", "src/test/resources/log4j2-test.properties"})
  void aGoodRunLogsNoFalseAlarms(String file) throws IOException {
    Configuration c = load(Path.of(file));
    assertEquals(Level.ERROR, c.getLoggerConfig(CUDA).getLevel(), "DJL's CUDA probe warning");
    assertEquals(Level.ERROR, c.getLoggerConfig("org.apache.spark.util.SparkStringUtils")
        .getLevel(), "Spark's note that it shortened a plan's debug string");
    assertEquals(Level.INFO, c.getLoggerConfig("org.rdnas.nn.Devices").getLevel(),
        "the line saying which device a run uses");

    LoggerConfig dataSource = c.getLoggerConfig(DATA_SOURCE);
    assertTrue(dataSource.getLevel().isLessSpecificThan(Level.WARN));
    assertTrue(dropped(dataSource,
        "All paths were ignored:\n  file:/home/u/rdnas/runs/latest/.ranking-parts"));
    assertTrue(dropped(dataSource, "All paths were ignored:\n  hdfs://nn:8020/r/.ranking-parts/"));
    assertFalse(dropped(dataSource, "All paths were ignored:\n  file:/home/u/data/.hidden"),
        "other folders' warnings stay");
    assertFalse(dropped(dataSource, "All paths were ignored:\n  file:/a/.ranking-parts\n"
        + "  file:/a/.other"), "a warning naming other folders too stays");
  }
}
