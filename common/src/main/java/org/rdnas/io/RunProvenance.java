package org.rdnas.io;

import ai.djl.engine.Engine;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What ran, where and with what, for any rdnas output: enough to tell two outputs apart and to
 * rerun one. One typed record, written as JSON into job 2's {@code summary.json} (its fields at the
 * top level) and as footer entries of job 1's ranking table ({@link #versions()} and the config).
 *
 * @param job the job ("proxy-scoring", "distill-train")
 * @param runId this run's id (a resumed run has its own)
 * @param sparkApplicationId the Spark application, or null when run in process
 * @param master the Spark master, or "in-process"
 * @param started when this run started (ISO-8601)
 * @param finished when it finished (ISO-8601), or null while it runs
 * @param wallSeconds its wall time, or null while it runs
 * @param versions rdnas, DJL, the engine and (on Spark) Spark, by name
 * @param config the resolved configuration
 */
public record RunProvenance(String job, String runId, String sparkApplicationId, String master,
    String started, String finished, Double wallSeconds, Map<String, String> versions,
    JsonNode config) {

  public RunProvenance {
    // An older summary may lack its versions; they are then none, not an error.
    versions = versions == null ? Map.of()
        : Collections.unmodifiableMap(new LinkedHashMap<>(versions));
  }

  /**
   * The provenance of a run of {@code job} started at {@code started}, with this process's
   * versions plus {@code more} (e.g. Spark's), and {@code configJson}.
   */
  public static RunProvenance start(String job, String runId, String sparkApplicationId,
      String master, Instant started, Map<String, String> more, String configJson) {
    Map<String, String> v = new LinkedHashMap<>();
    v.put("rdnas", BuildInfo.version());
    v.put("djl", Engine.getDjlVersion());
    Engine engine = Engine.getInstance();
    v.put("engine", engine.getEngineName() + " " + engine.getVersion());
    v.putAll(more);
    try {
      return new RunProvenance(job, runId, sparkApplicationId, master, started.toString(), null,
          null, v, Json.MAPPER.readTree(configJson));
    } catch (IOException e) {
      throw new UncheckedIOException("the resolved configuration is not JSON", e);
    }
  }

  /** The provenance as one line of JSON. */
  public String toJson() {
    try {
      return Json.MAPPER.writeValueAsString(this);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** This provenance, finished now after {@code wallSeconds}. */
  public RunProvenance finish(double wallSeconds) {
    return new RunProvenance(job, runId, sparkApplicationId, master, started,
        Instant.now().toString(), wallSeconds, versions, config);
  }
}
