package org.rdnas.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.io.InputStream;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.rdnas.util.Seeds;

/**
 * A set of named parameter arrays owned by one NDManager scope: closing it frees them all. Created by
 * seeded initialisation, from a flat {@code float[]} (gradient averaging, checkpoints) or from an npz
 * file (reference weights).
 */
public final class Weights implements AutoCloseable {
  /** How parameters are initialised. */
  public enum Init {
    /**
     * PyTorch's defaults: conv and linear weights and biases U(-1/sqrt(fan_in), 1/sqrt(fan_in))
     * (kaiming-uniform with a = sqrt(5)); BN weight 1, bias 0.
     */
    PYTORCH_DEFAULT,
    /** Zen-NAS and SWAP: conv and linear weights N(0, 1), their biases 0; BN weight 1, bias 0. */
    GAUSSIAN,
    /**
     * AZ-NAS: conv and linear weights kaiming-normal (fan-in, gain sqrt(2)), i.e. N(0, 2 / fan_in);
     * their biases 0; BN weight 1, bias 0.
     */
    KAIMING_NORMAL
  }

  private final NDManager manager;
  private final Map<String, NDArray> arrays;
  /** Constant arrays forwards with these weights need (see {@link #constant}), made once each. */
  private final Map<String, NDArray> constants = new java.util.concurrent.ConcurrentHashMap<>();

  private Weights(NDManager manager, Map<String, NDArray> arrays) {
    this.manager = manager;
    this.arrays = arrays;
  }

  /**
   * Initialises {@code specs} with {@code init}. Each tensor draws from its own stream, derived from
   * {@code seed} and its name only, so a stand-alone net and the supernet initialised with one seed hold
   * the same values for the same parameter, on any machine and device.
   */
  public static Weights initialize(
      NDManager parent, List<ParamSpec> specs, long seed, Init init, DataType type) {
    NDManager m = parent.newSubManager();
    Map<String, NDArray> out = new LinkedHashMap<>();
    for (ParamSpec p : specs) {
      float[] v = new float[Math.toIntExact(p.size())];
      SplittableRandom rng = new SplittableRandom(Seeds.mix(seed, Seeds.hash(p.name())));
      switch (p.role()) {
        case BN_WEIGHT -> java.util.Arrays.fill(v, 1f);
        case BN_BIAS -> { }
        case CONV_BIAS, LINEAR_BIAS -> {
          if (init == Init.PYTORCH_DEFAULT) {
            uniform(v, 1 / Math.sqrt(p.fanIn()), rng);
          }
        }
        case CONV_WEIGHT, LINEAR_WEIGHT -> {
          if (init == Init.PYTORCH_DEFAULT) {
            uniform(v, 1 / Math.sqrt(p.fanIn()), rng);
          } else {
            double std = init == Init.KAIMING_NORMAL ? Math.sqrt(2.0 / p.fanIn()) : 1;
            for (int i = 0; i < v.length; i++) {
              v[i] = (float) (std * Seeds.gaussian(rng));
            }
          }
        }
        default -> throw new AssertionError(p.role());
      }
      out.put(p.name(), staged(m, v, p.shape(), type));
    }
    return new Weights(m, out);
  }

  /** The parameters {@code specs} from one flat array, laid out in their order. */
  public static Weights fromFlat(NDManager parent, List<ParamSpec> specs, float[] flat, DataType type) {
    long total = specs.stream().mapToLong(ParamSpec::size).sum();
    if (flat.length != total) {
      throw new IllegalArgumentException(
          "flat weights have " + flat.length + " values, the parameters need " + total);
    }
    NDManager m = parent.newSubManager();
    Map<String, NDArray> out = new LinkedHashMap<>();
    int off = 0;
    for (ParamSpec p : specs) {
      int n = Math.toIntExact(p.size());
      float[] v = java.util.Arrays.copyOfRange(flat, off, off + n);
      out.put(p.name(), staged(m, v, p.shape(), type));
      off += n;
    }
    return new Weights(m, out);
  }

  /**
   * Loads the arrays of {@code specs} from an npz stream (numpy's zip of .npy files) by name; arrays in
   * the file that {@code specs} does not name are ignored.
   */
  public static Weights fromNpz(NDManager parent, List<ParamSpec> specs, InputStream npz, DataType type)
      throws IOException {
    NDManager m = parent.newSubManager();
    try (NDManager scratch = parent.newSubManager()) {
      NDList all = NDList.decode(scratch, npz);
      Map<String, NDArray> byName = new LinkedHashMap<>();
      for (NDArray a : all) {
        byName.put(a.getName(), a);
      }
      Map<String, NDArray> out = new LinkedHashMap<>();
      for (ParamSpec p : specs) {
        NDArray a = byName.get(p.name());
        if (a == null) {
          throw new IOException("npz weights have no array '" + p.name() + "'");
        }
        if (!a.getShape().equals(new Shape(p.shape()))) {
          throw new IOException("npz array '" + p.name() + "' has shape " + a.getShape()
              + ", the network expects " + new Shape(p.shape()));
        }
        NDArray t = ownedCopy(a, type);
        t.attach(m);
        out.put(p.name(), t);
      }
      return new Weights(m, out);
    } catch (IOException | RuntimeException e) {
      m.close();
      throw e;
    }
  }

  /** The array named {@code name}. */
  public NDArray get(String name) {
    NDArray a = arrays.get(name);
    if (a == null) {
      throw new IllegalArgumentException("no weight named '" + name + "'");
    }
    return a;
  }

  /** The array named {@code name}, or null when absent (e.g. a conv without bias). */
  public NDArray find(String name) {
    return arrays.get(name);
  }

  public Collection<String> names() {
    return arrays.keySet();
  }

  public Collection<NDArray> arrays() {
    return arrays.values();
  }

  public NDManager manager() {
    return manager;
  }

  /**
   * A constant array that lives as long as these weights, made by {@code make} (on their manager)
   * the first time {@code key} is asked for: the all-ones and all-zeros arrays a forward feeds to
   * ops, made once per step instead of once per layer (each a native call). Whoever asks for one
   * must not write to it, or key it by thread when the op writes into it.
   */
  public NDArray constant(String key, java.util.function.Function<NDManager, NDArray> make) {
    return constants.computeIfAbsent(key, k -> {
      NDArray a = make.apply(manager);
      a.attach(manager);
      return a;
    });
  }

  /** The values of {@code specs}, concatenated in their order, as float32. */
  public float[] toFlat(List<ParamSpec> specs) {
    long total = specs.stream().mapToLong(ParamSpec::size).sum();
    float[] out = new float[Math.toIntExact(total)];
    int off = 0;
    for (ParamSpec p : specs) {
      float[] v = get(p.name()).toType(DataType.FLOAT32, false).toFloatArray();
      System.arraycopy(v, 0, out, off, v.length);
      off += v.length;
    }
    return out;
  }

  /** A copy of these weights in {@code type}, in a new scope under {@code parent}. */
  public Weights copy(NDManager parent, DataType type) {
    return map(parent, a -> ownedCopy(a, type));
  }

  /** {@code f} applied to every array, as new weights in a new scope under {@code parent}. */
  public Weights map(NDManager parent, java.util.function.UnaryOperator<NDArray> f) {
    NDManager m = parent.newSubManager();
    Map<String, NDArray> out = new LinkedHashMap<>();
    for (Map.Entry<String, NDArray> e : arrays.entrySet()) {
      NDArray t = f.apply(e.getValue());
      t.attach(m);
      out.put(e.getKey(), t);
    }
    return new Weights(m, out);
  }

  /** The arrays named in {@code names} that these weights hold, as weights sharing this scope. */
  public Map<String, NDArray> subset(Collection<String> names) {
    Map<String, NDArray> out = new LinkedHashMap<>();
    for (String n : names) {
      NDArray a = arrays.get(n);
      if (a != null) {
        out.put(n, a);
      }
    }
    return out;
  }

  /** Weights over given arrays, owned by {@code manager} (closing them closes it). */
  public static Weights of(NDManager manager, Map<String, NDArray> arrays) {
    return new Weights(manager, new LinkedHashMap<>(arrays));
  }

  @Override
  public void close() {
    manager.close();
  }

  private static NDArray staged(NDManager m, float[] v, long[] shape, DataType type) {
    NDArray f = m.create(v, new Shape(shape));
    if (type == DataType.FLOAT32) {
      return f;
    }
    NDArray t = f.toType(type, false);
    f.close();
    return t;
  }

  /**
   * A copy of {@code a} in {@code type} that owns its memory. DJL's {@code toType(type, true)} returns a
   * tensor sharing the source's storage when the type is unchanged, and an array created from a Java
   * buffer keeps that buffer alive only through its own handle: the shared tensor would read freed
   * memory once the source is closed.
   */
  public static NDArray ownedCopy(NDArray a, DataType type) {
    NDArray c = a.toType(type, false);
    return c == a ? a.duplicate() : c;
  }

  private static void uniform(float[] v, double bound, SplittableRandom rng) {
    for (int i = 0; i < v.length; i++) {
      v[i] = (float) ((rng.nextDouble() * 2 - 1) * bound);
    }
  }
}
