package org.rdnas.spark;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;


import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.apache.spark.SparkException;
import org.junit.jupiter.api.Test;
import org.rdnas.config.ConfigurationException;
import org.rdnas.config.RdnasConfig;
import org.rdnas.io.InputException;
import org.rdnas.train.TrainingDivergedException;

/** One exit-status mapping for every job, each with one line on stderr. */
class JobMainTest {

  private static String[] statusAndStderr(Throwable e) {
    PrintStream old = System.err;
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
    try {
      int status = JobMain.status("job", e);
      return new String[] {Integer.toString(status), err.toString(StandardCharsets.UTF_8)};
    } finally {
      System.setErr(old);
    }
  }

  @Test
  void eachOutcomeHasItsExitStatus() {
    ConfigurationException config = assertThrowsConfig();
    String[] r = statusAndStderr(config);
    assertEquals("2", r[0]);
    assertEquals("job: " + config.getMessage(), r[1].strip());

    r = statusAndStderr(new SparkException("Job aborted",
        new InputException("rdnas.data.path: no such file")));
    assertEquals("2", r[0]);
    assertEquals("job: rdnas.data.path: no such file", r[1].strip(), "the cause, not Spark's wrapper");

    r = statusAndStderr(new TrainingDivergedException(7, "training diverged at step 7"));
    assertEquals("3", r[0]);
    assertTrue(r[1].contains("training diverged at step 7"), r[1]);

    r = statusAndStderr(new IllegalArgumentException("a bug"));
    assertEquals("1", r[0]);
    assertTrue(r[1].startsWith("job: failed: java.lang.IllegalArgumentException: a bug"), r[1]);
  }

  @Test
  void aBodyThatReturnsIsZeroAndStopRunsEitherWay() {
    boolean[] stopped = new boolean[2];
    assertEquals(JobMain.OK, JobMain.run("job", () -> { }, () -> stopped[0] = true));
    assertEquals(JobMain.FAILED, JobMain.run("job", () -> {
      throw new IllegalStateException("x");
    }, () -> stopped[1] = true));
    assertTrue(stopped[0] && stopped[1]);
  }

  private static ConfigurationException assertThrowsConfig() {
    try {
      RdnasConfig.load("train.lrate=1");
      throw new AssertionError("an unknown key must be refused");
    } catch (ConfigurationException e) {
      return e;
    }
  }
}
