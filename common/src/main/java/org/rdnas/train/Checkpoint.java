package org.rdnas.train;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;
import org.rdnas.config.TrainConfig;

/**
 * The driver's training state at a step boundary: everything a resumed run needs to continue as if
 * never stopped. Weights and SGD momentum are flat float32 vectors in {@code network.parameters()}
 * order; the pair sampler and the data order are stateless given their seed and step, so the seed and
 * the data-order parameters are recorded (and checked on resume) instead of any generator state.
 *
 * <p>Binary layout, big-endian (DataOutputStream), no Java serialization:
 * <pre>
 *   8 bytes  magic "RDNASCKP"
 *   int      format version (1)
 *   int      header length H, then H bytes of UTF-8 JSON (step, epoch, mode, seeds, data order,
 *            sampler, parameter count, the run's resolved configuration)
 *   int      N, then N float32 weights
 *   int      N, then N float32 momentum values
 *   long     CRC32 of every byte above
 * </pre>
 * Reading validates magic, version, lengths against the header, the CRC and the end of the stream, and
 * names the file in every error.
 *
 * @param step steps completed: the next step to run
 * @param epoch epoch of the next step
 * @param mode RD-NAS or SPOS
 * @param dataOrder the data order and batching the step numbers refer to
 * @param sampler the margin sampler's parameters; null in SPOS mode
 * @param configJson the run's resolved configuration as JSON ({@code RdnasConfig.toJson()}); "" if
 *     none
 * @param weights the flat supernet weights
 * @param momentum the flat SGD momentum buffer, as long as {@code weights}
 */
public record Checkpoint(long step, int epoch, TrainConfig.Mode mode, DataOrder dataOrder,
    SamplerState sampler, String configJson, float[] weights, float[] momentum) {

  /** The first bytes of every checkpoint. */
  public static final byte[] MAGIC = "RDNASCKP".getBytes(StandardCharsets.US_ASCII);
  /** The format version this build writes and reads. */
  public static final int VERSION = 1;
  private static final int MAX_HEADER = 64 << 20;
  private static final int CHUNK = 1 << 16;
  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * The data order of a run: epoch e's permutation comes from (seed, e) over trainSize images, cut
   * into batches of batchSize and micro-batches of microBatch.
   */
  public record DataOrder(long seed, int trainSize, int batchSize, int stepsPerEpoch, int microBatch) {}

  /** The margin sampler: stateless given (seed, step), with its threshold and teacher column(s). */
  public record SamplerState(long seed, double threshold, List<String> teacher) {
    public SamplerState {
      teacher = List.copyOf(teacher);
    }
  }

  public Checkpoint {
    Objects.requireNonNull(mode, "mode");
    Objects.requireNonNull(dataOrder, "dataOrder");
    Objects.requireNonNull(weights, "weights");
    Objects.requireNonNull(momentum, "momentum");
    configJson = configJson == null ? "" : configJson;
    if (step < 0 || epoch < 0) {
      throw new IllegalArgumentException("step and epoch must be >= 0, got " + step + ", " + epoch);
    }
    if (weights.length != momentum.length) {
      throw new IllegalArgumentException("weights (" + weights.length + ") and momentum ("
          + momentum.length + ") differ in length");
    }
    for (float[] v : new float[][] {weights, momentum}) {
      for (int i = 0; i < v.length; i++) {
        if (!Float.isFinite(v[i])) {
          // A checkpoint is a resume point: one holding NaN or infinity would resume a dead run.
          throw new IllegalArgumentException("checkpoint at step " + step + " would hold a non-finite "
              + (v == weights ? "weight" : "momentum value") + " (" + v[i] + " at index " + i + ")");
        }
      }
    }
    if ((mode == TrainConfig.Mode.RDNAS) != (sampler != null)) {
      throw new IllegalArgumentException("an RD-NAS checkpoint records its sampler, a SPOS one none");
    }
    if (!configJson.isBlank()) {
      try {
        // Canonical form (Jackson's compact rendering), so the text survives a write and read as is.
        configJson = JSON.writeValueAsString(JSON.readTree(configJson));
      } catch (JsonProcessingException e) {
        throw new IllegalArgumentException("config is not JSON: " + e.getOriginalMessage());
      }
    }
  }

  /**
   * The file name of the checkpoint after {@code step} steps, {@code step-000000001234.ckpt}: names
   * sort by step, and a temporary file written before the atomic rename can use any other name.
   */
  public static String fileName(long step) {
    if (step < 0) {
      throw new IllegalArgumentException("step must be >= 0, got " + step);
    }
    return String.format("step-%012d.ckpt", step);
  }

  /** The step of a {@link #fileName} name, or -1 when {@code name} is not one. */
  public static long stepOf(String name) {
    if (name == null || !name.matches("step-\\d{12}\\.ckpt")) {
      return -1;
    }
    return Long.parseLong(name.substring(5, 17));
  }

  @Override
  public float[] weights() {
    return weights.clone();
  }

  @Override
  public float[] momentum() {
    return momentum.clone();
  }

  /** Writes this checkpoint to {@code out} (flushed, not closed). */
  public void write(OutputStream out) throws IOException {
    CRC32 crc = new CRC32();
    DataOutputStream data = new DataOutputStream(
        new BufferedOutputStream(new CheckedOutputStream(out, crc), CHUNK));
    data.write(MAGIC);
    data.writeInt(VERSION);
    byte[] header = JSON.writeValueAsBytes(header());
    data.writeInt(header.length);
    data.write(header);
    writeFloats(data, weights);
    writeFloats(data, momentum);
    data.flush();
    // The CRC goes straight to the stream, outside what it checks.
    DataOutputStream tail = new DataOutputStream(out);
    tail.writeLong(crc.getValue());
    tail.flush();
  }

  /**
   * Reads a checkpoint from {@code in}; {@code source} (a path) names it in errors.
   *
   * @throws CheckpointException when the stream is not a complete, intact checkpoint of this version
   */
  public static Checkpoint read(InputStream in, String source) throws IOException {
    CRC32 crc = new CRC32();
    BufferedInputStream buffered = new BufferedInputStream(in, CHUNK);
    DataInputStream data = new DataInputStream(new CheckedInputStream(buffered, crc));
    try {
      byte[] magic = new byte[MAGIC.length];
      data.readFully(magic);
      if (!Arrays.equals(magic, MAGIC)) {
        throw new CheckpointException(source + " is not an rdnas checkpoint (bad magic bytes)");
      }
      int version = data.readInt();
      if (version != VERSION) {
        throw new CheckpointException(source + " is checkpoint format version " + version
            + "; this build reads version " + VERSION);
      }
      int headerLength = data.readInt();
      if (headerLength < 2 || headerLength > MAX_HEADER) {
        throw new CheckpointException(source + " is corrupt: header length " + headerLength);
      }
      byte[] headerBytes = new byte[headerLength];
      data.readFully(headerBytes);
      JsonNode header;
      try {
        header = JSON.readTree(headerBytes);
      } catch (JsonProcessingException e) {
        throw new CheckpointException(source + " is corrupt: header is not JSON", e);
      }
      int parameters = requiredInt(header, "parameters", source);
      if (parameters < 0) {
        throw new CheckpointException(source + " has an invalid header: " + parameters
            + " parameters");
      }
      float[] weights = readFloats(data, parameters, "weights", source);
      float[] momentum = readFloats(data, parameters, "momentum", source);
      long expected = crc.getValue();
      long stored = new DataInputStream(buffered).readLong();
      if (stored != expected) {
        throw new CheckpointException(source + " is corrupt: CRC32 mismatch (stored "
            + Long.toHexString(stored) + ", computed " + Long.toHexString(expected) + ")");
      }
      if (buffered.read() != -1) {
        throw new CheckpointException(source + " is corrupt: bytes after the checksum");
      }
      return fromHeader(header, weights, momentum, source);
    } catch (EOFException e) {
      throw new CheckpointException(source + " is truncated", e);
    }
  }

  private ObjectNode header() {
    ObjectNode h = JSON.createObjectNode();
    h.put("format", "rdnas-checkpoint");
    h.put("step", step);
    h.put("epoch", epoch);
    h.put("mode", mode.name());
    ObjectNode d = h.putObject("dataOrder");
    d.put("seed", dataOrder.seed());
    d.put("trainSize", dataOrder.trainSize());
    d.put("batchSize", dataOrder.batchSize());
    d.put("stepsPerEpoch", dataOrder.stepsPerEpoch());
    d.put("microBatch", dataOrder.microBatch());
    if (sampler == null) {
      h.putNull("sampler");
    } else {
      ObjectNode s = h.putObject("sampler");
      s.put("seed", sampler.seed());
      s.put("threshold", sampler.threshold());
      ArrayNode t = s.putArray("teacher");
      sampler.teacher().forEach(t::add);
    }
    h.put("parameters", weights.length);
    try {
      h.set("config", configJson.isBlank() ? JSON.nullNode() : JSON.readTree(configJson));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    return h;
  }

  private static Checkpoint fromHeader(JsonNode h, float[] weights, float[] momentum, String source)
      throws CheckpointException {
    try {
      JsonNode d = required(h, "dataOrder", source);
      DataOrder order = new DataOrder(requiredLong(d, "seed", source),
          requiredInt(d, "trainSize", source), requiredInt(d, "batchSize", source),
          requiredInt(d, "stepsPerEpoch", source), requiredInt(d, "microBatch", source));
      JsonNode s = required(h, "sampler", source);
      SamplerState sampler = null;
      if (!s.isNull()) {
        List<String> teacher = new ArrayList<>();
        required(s, "teacher", source).forEach(t -> teacher.add(t.asText()));
        sampler = new SamplerState(requiredLong(s, "seed", source),
            required(s, "threshold", source).asDouble(), teacher);
      }
      JsonNode config = h.get("config");
      String configJson = config == null || config.isNull() ? "" : JSON.writeValueAsString(config);
      return new Checkpoint(requiredLong(h, "step", source), requiredInt(h, "epoch", source),
          TrainConfig.Mode.valueOf(required(h, "mode", source).asText()), order, sampler,
          configJson, weights, momentum);
    } catch (IllegalArgumentException | JsonProcessingException e) {
      throw new CheckpointException(source + " has an invalid header: " + e.getMessage(), e);
    }
  }

  private static JsonNode required(JsonNode n, String field, String source)
      throws CheckpointException {
    JsonNode v = n.get(field);
    if (v == null) {
      throw new CheckpointException(source + " has an invalid header: no field '" + field + "'");
    }
    return v;
  }

  private static long requiredLong(JsonNode n, String field, String source)
      throws CheckpointException {
    JsonNode v = required(n, field, source);
    if (!v.canConvertToLong() || !v.isIntegralNumber()) {
      throw new CheckpointException(source + " has an invalid header: '" + field
          + "' is not an integer");
    }
    return v.asLong();
  }

  private static int requiredInt(JsonNode n, String field, String source)
      throws CheckpointException {
    JsonNode v = required(n, field, source);
    if (!v.canConvertToInt() || !v.isIntegralNumber()) {
      throw new CheckpointException(source + " has an invalid header: '" + field
          + "' is not a 32-bit integer");
    }
    return v.asInt();
  }

  private static void writeFloats(DataOutputStream out, float[] v) throws IOException {
    out.writeInt(v.length);
    ByteBuffer buf = ByteBuffer.allocate(CHUNK * Float.BYTES).order(ByteOrder.BIG_ENDIAN);
    for (int from = 0; from < v.length; from += CHUNK) {
      int n = Math.min(CHUNK, v.length - from);
      buf.clear();
      buf.asFloatBuffer().put(v, from, n);
      out.write(buf.array(), 0, n * Float.BYTES);
    }
  }

  private static float[] readFloats(DataInputStream in, int expected, String what, String source)
      throws IOException {
    int n = in.readInt();
    if (n != expected) {
      throw new CheckpointException(source + " is corrupt: " + what + " length " + n
          + ", the header says " + expected + " parameters");
    }
    // Grown as data arrives: a corrupt length fails at the end of the stream, not in a huge allocation.
    float[] v = new float[Math.min(n, CHUNK)];
    byte[] bytes = new byte[CHUNK * Float.BYTES];
    for (int from = 0; from < n; from += CHUNK) {
      int k = Math.min(CHUNK, n - from);
      if (from + k > v.length) {
        v = Arrays.copyOf(v, (int) Math.min(n, Math.max(2L * v.length, from + k)));
      }
      in.readFully(bytes, 0, k * Float.BYTES);
      ByteBuffer.wrap(bytes, 0, k * Float.BYTES).order(ByteOrder.BIG_ENDIAN).asFloatBuffer()
          .get(v, from, k);
    }
    return v;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Checkpoint c && c.step == step && c.epoch == epoch && c.mode == mode
        && c.dataOrder.equals(dataOrder) && Objects.equals(c.sampler, sampler)
        && c.configJson.equals(configJson) && Arrays.equals(c.weights, weights)
        && Arrays.equals(c.momentum, momentum);
  }

  @Override
  public int hashCode() {
    return Objects.hash(step, epoch, mode, dataOrder) * 31 + Arrays.hashCode(weights);
  }

  @Override
  public String toString() {
    return "Checkpoint[step=" + step + ", epoch=" + epoch + ", " + mode + ", " + dataOrder + ", "
        + sampler + ", " + weights.length + " parameters]";
  }
}
