package org.rdnas.testing;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.rdnas.nn.Nb201Network;
import org.rdnas.nn.Weights;
import org.rdnas.space.Arch;

/**
 * The golden proxy cases of {@code shared/data/golden/} (computed by the reference implementations):
 * their json, weights and input batch. Skips the calling test when the folder is absent.
 */
public final class Golden {
  private static final JsonMapper JSON = JsonMapper.builder()
      .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS).build();

  private final Path dir;
  private final JsonNode root;

  private Golden(Path dir, JsonNode root) {
    this.dir = dir;
    this.root = root;
  }

  public static Golden load() {
    return load("golden/golden.json");
  }

  /** The modern proxies' cases ({@code modern.json}: ZiCo, MeCo, SWAP, AZ-NAS) and their files. */
  public static Golden loadModern() {
    return load("golden/modern.json");
  }

  private static Golden load(String relative) {
    Path json = SharedData.require(relative);
    try {
      return new Golden(json.getParent(), JSON.readTree(json.toFile()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The json's root, for top-level fields (modern.json's {@code files} and {@code protocol}). */
  public JsonNode root() {
    return root;
  }

  public List<JsonNode> cases() {
    List<JsonNode> out = new ArrayList<>();
    root.get("cases").forEach(out::add);
    return out;
  }

  public static Arch arch(JsonNode c) {
    return Arch.parse(c.get("arch").asText());
  }

  /** The case's value of {@code key} in {@code section} (values_f64, values_f32), NaN when absent. */
  public static double value(JsonNode c, String section, String key) {
    JsonNode v = c.path(section).get(key);
    return v == null ? Double.NaN : v.asDouble();
  }

  public static double[] doubles(JsonNode arrayNode) {
    List<Double> out = new ArrayList<>();
    collect(arrayNode, out);
    return out.stream().mapToDouble(Double::doubleValue).toArray();
  }

  private static void collect(JsonNode n, List<Double> out) {
    if (n.isArray()) {
      n.forEach(x -> collect(x, out));
    } else {
      out.add(n.asDouble());
    }
  }

  /** The reference's initial weights for the parameters {@code net} runs for {@code arch}. */
  public Weights weights(NDManager m, Nb201Network net, Arch arch, String file, DataType type) {
    try (InputStream in = Files.newInputStream(dir.resolve(file))) {
      return Weights.fromNpz(m, net.parameters(arch), in, type);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Weights supernetWeights(NDManager m, Nb201Network net, Arch arch, DataType type) {
    return weights(m, net, arch, "supernet_init_seed" + root.get("init_seed").asInt() + ".npz", type);
  }

  public Weights zenWeights(NDManager m, Nb201Network net, Arch arch, DataType type) {
    return weights(m, net, arch, "zen_gaussian_weights_seed" + root.get("zen_seed").asInt() + ".npz", type);
  }

  /** Arrays of an npz file of the golden folder, by name, in {@code m}. */
  public NDList npz(NDManager m, String file) {
    try (InputStream in = Files.newInputStream(dir.resolve(file))) {
      return NDList.decode(m, in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The array named {@code name} in an npz list. */
  public static NDArray named(NDList list, String name) {
    for (NDArray a : list) {
      if (name.equals(a.getName())) {
        return a;
      }
    }
    throw new IllegalArgumentException("no array '" + name + "' in npz");
  }
}
