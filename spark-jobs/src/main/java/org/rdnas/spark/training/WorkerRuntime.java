package org.rdnas.spark.training;
import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.Serial;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import org.apache.hadoop.conf.Configuration;
import org.rdnas.config.RdnasConfig;
import org.rdnas.nn.CellConvention;
import org.rdnas.nn.Devices;
import org.rdnas.nn.Nb201Network;
import org.rdnas.nn.NetworkConfig;
import org.rdnas.train.GradientWorker;
import org.rdnas.train.SubnetEvaluator;
import org.rdnas.train.TrainData;

/**
 * What training and evaluation tasks share within one executor JVM, built on first use and kept
 * while tasks ask for the same: the PyTorch thread count, the device and its base NDManager, the
 * loaded images, the gradient worker and subnet evaluator over them, and the latest versions of the
 * weights (and momentum). Everything here is a pure function of its key, so a task that is retried
 * or moved to another executor computes exactly what the first attempt did. Thread-safe: with several task
 * slots per JVM (local mode) tasks share these objects, which are themselves thread-safe.
 */
final class WorkerRuntime {
  /**
   * Arrays kept per JVM: those of the current version (a step's slice of the weights, or the whole
   * weights and momentum), and of the one before for a late retry.
   */
  private static final int CACHED_ARRAYS = 4;

  private static NDManager manager;
  private static Device device;
  private static TrainData.Spec dataKey;
  private static TrainData data;
  private static Settings networkKey;
  private static GradientWorker worker;
  private static SubnetEvaluator evaluator;
  private static final Map<String, float[]> WEIGHTS = new LinkedHashMap<>();

  private WorkerRuntime() {}

  /**
   * What every task of a run needs besides its step plan and weights; small, rides in closures.
   *
   * @param runId this driver's run (a resumed run has a new one), part of the weights-cache key
   * @param data the images
   * @param channels C of the supernet
   * @param cells N of the supernet
   * @param device where tensors live
   * @param evalBatch images per forward pass in evaluation
   * @param recalibration BN recalibration before evaluation (null: BN on batch statistics)
   */
  record Settings(String runId, TrainData.Spec data, int channels, int cells,
      RdnasConfig.Device device, int evalBatch, Recalibration recalibration)
      implements Serializable {
    @Serial private static final long serialVersionUID = 1L;

    Nb201Network network() {
      return Nb201Network.of(new NetworkConfig(channels, cells, 3, 10, CellConvention.SEARCH));
    }

    /** The same settings but the run id: what decides the worker and evaluator. */
    Settings withoutRun() {
      return new Settings("", data, channels, cells, device, evalBatch, recalibration);
    }
  }

  /** BN recalibration: {@code batches} training batches of {@code batchSize}, drawn by {@code seed}. */
  record Recalibration(int batches, int batchSize, long seed) implements Serializable {
    @Serial private static final long serialVersionUID = 1L;
  }

  /** PyTorch threads for this JVM: the task slot's cores unless -D set (see {@link Devices}). */
  static void configureThreads(int taskCpus) {
    Devices.configureThreads(taskCpus);
  }

  /** The base NDManager on the run's device (CPU unless a GPU is asked for or found usable). */
  static synchronized NDManager manager(RdnasConfig.Device setting) {
    if (manager == null) {
      device = resolve(setting);
      manager = NDManager.newBaseManager(device);
    }
    return manager;
  }

  private static Device resolve(RdnasConfig.Device setting) {
    return Devices.choose(setting.name(), null);
  }

  /** The images of {@code spec}, loaded once per JVM. */
  static synchronized TrainData data(TrainData.Spec spec, Configuration conf) {
    if (!spec.equals(dataKey)) {
      TrainData loaded;
      try {
        loaded = spec.load(conf);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      data = loaded;
      dataKey = spec;
      networkKey = null;
    }
    return data;
  }

  /** The gradient worker of {@code s}: its supernet over the training images. */
  static synchronized GradientWorker worker(Settings s, Configuration conf) {
    build(s, conf);
    return worker;
  }

  /** The subnet evaluator of {@code s}: its supernet over the held-out images. */
  static synchronized SubnetEvaluator evaluator(Settings s, Configuration conf) {
    build(s, conf);
    return evaluator;
  }

  /** The training images of {@code s} (for BN recalibration). */
  static synchronized TrainData data(Settings s, Configuration conf) {
    return data(s.data(), conf);
  }

  private static void build(Settings s, Configuration conf) {
    TrainData d = data(s.data(), conf);
    Settings key = s.withoutRun();
    if (!key.equals(networkKey)) {
      Nb201Network net = s.network();
      worker = new GradientWorker(net, d.train());
      evaluator = new SubnetEvaluator(net, d.heldOut(), s.evalBatch());
      networkKey = key;
    }
  }

  /**
   * The weights of version {@code version} of run {@code runId}: this JVM's copy, or the
   * broadcast's value, kept for the next tasks of the same version.
   */
  static float[] weights(String runId, long version, org.apache.spark.broadcast.Broadcast<float[]> b) {
    return cached(runId + "@" + version, b);
  }

  /** As {@link #weights}, for the slice of a step's weights that its subnets use. */
  static float[] stepWeights(String runId, long version, org.apache.spark.broadcast.Broadcast<float[]> b) {
    return cached(runId + "@" + version + " step slice", b);
  }

  /** As {@link #weights}, for the SGD momentum of a local-SGD round's version. */
  static float[] momentum(String runId, long version, org.apache.spark.broadcast.Broadcast<float[]> b) {
    return cached(runId + "@" + version + " momentum", b);
  }

  private static float[] cached(String key, org.apache.spark.broadcast.Broadcast<float[]> b) {
    synchronized (WEIGHTS) {
      float[] w = WEIGHTS.get(key);
      if (w != null) {
        return w;
      }
    }
    // Outside the lock: the first fetch of a version may take a while.
    float[] w = Objects.requireNonNull(b.value(), key);
    synchronized (WEIGHTS) {
      WEIGHTS.put(key, w);
      while (WEIGHTS.size() > CACHED_ARRAYS) {
        WEIGHTS.remove(WEIGHTS.keySet().iterator().next());
      }
    }
    return w;
  }
}
