package org.rdnas.spark.scoring;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.rdnas.config.RdnasConfig;

/** Job 1's summary ends with job 2's command on the same output folder. */
class NextCommandTest {
  @Test
  void job2IsNamedWithTheOutputFolderWhenItIsNotTheDefault() {
    String plain = ProxyScoring.nextCommand(RdnasConfig.defaults());
    assertTrue(plain.endsWith("deploy/local/spark-submit spark-jobs/target/distill-train.jar\n"),
        plain);
    String other = ProxyScoring.nextCommand(RdnasConfig.load("output.path=/data/runs/a"));
    assertTrue(other.endsWith("spark-jobs/target/distill-train.jar output.path=/data/runs/a\n"),
        other);
  }
}
