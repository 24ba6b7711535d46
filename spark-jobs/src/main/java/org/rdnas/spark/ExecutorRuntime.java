package org.rdnas.spark;

import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.apache.spark.SparkContext;
import org.apache.spark.TaskContext;
import org.apache.spark.resource.ResourceInformation;
import org.rdnas.config.RdnasConfig;
import org.rdnas.io.InputException;
import org.rdnas.nn.Devices;

/**
 * What the tasks of both jobs share within one executor JVM: the PyTorch thread settings (fixed
 * when the engine starts, so they are set before its first use), each task's device (the GPU Spark
 * assigned the task, see {@link #taskDevice}) with one base NDManager per device, and bounded
 * caches of what is costly to build once per JVM rather than once per task (images, networks,
 * weights). Every cached value is a pure function of its key, so a retried or relocated task
 * computes exactly what the first attempt did. Thread-safe: in local mode task slots share it.
 */
public final class ExecutorRuntime {

  /** What each cache keeps, and how many entries: the latest, or a few versions of weights. */
  public enum Kind {
    /** Loaded images, by what decides them. */
    DATA(1),
    /** Networks and the workers over them, by their settings. */
    MODEL(1),
    /** Weights and momentum of the current version and the one before, for a late retry. */
    WEIGHTS(4);

    private final int capacity;

    Kind(int capacity) {
      this.capacity = capacity;
    }
  }

  /**
   * Where a task's device comes from: Spark's assignment and the engine, or a fake in tests (Spark's
   * local mode assigns no GPUs, and CI has none).
   */
  interface DeviceLayer {
    /** The GPU address Spark assigned {@code task} (resource {@code gpu}), or null. */
    Integer assignedGpu(TaskContext task);

    /** The device for the setting and the assigned GPU; see {@link Devices#choose}. */
    Device choose(String setting, Integer assignedGpu);

    /** A new base manager on {@code device}, checked to make its arrays there. */
    NDManager manager(Device device);
  }

  private static final DeviceLayer ENGINE = new DeviceLayer() {
    @Override
    public Integer assignedGpu(TaskContext task) {
      ResourceInformation gpu = task.resourcesJMap().get("gpu");
      return gpu != null && gpu.addresses().length > 0
          ? Integer.valueOf(gpu.addresses()[0].strip()) : null;
    }

    @Override
    public Device choose(String setting, Integer assignedGpu) {
      return Devices.choose(setting, assignedGpu);
    }

    @Override
    public NDManager manager(Device device) {
      NDManager m = NDManager.newBaseManager(device);
      try (NDArray probe = m.zeros(new Shape(1))) {
        if (!probe.getDevice().equals(device)) {
          m.close();
          throw new IllegalStateException("asked for " + device + " but arrays land on "
              + probe.getDevice() + " (" + Devices.engineDescription() + ")");
        }
      }
      return m;
    }
  };

  private static volatile DeviceLayer layer = ENGINE;
  private static final Map<Device, NDManager> MANAGERS = new ConcurrentHashMap<>();
  private static final Map<Kind, LinkedHashMap<Object, Object>> CACHES = new ConcurrentHashMap<>();

  private ExecutorRuntime() {}

  /** PyTorch threads for this JVM: the task slot's cores unless -D set (see {@link Devices}). */
  public static void configureThreads(TaskContext task) {
    Devices.configureThreads(task == null ? 1 : task.cpus());
  }

  /**
   * The device of the running task for {@code setting} ({@code auto}, {@code cpu}, {@code gpu}):
   * the GPU Spark assigned the task if any, else the first GPU the engine sees, else (auto only)
   * the CPU. A GPU counts only once an array made on it really lives there: DJL reports GPUs from
   * the CUDA driver even when its PyTorch natives are CPU-only.
   *
   * @throws IllegalStateException when a GPU is required and none is usable
   */
  public static Device taskDevice(RdnasConfig.Device setting) {
    TaskContext task = TaskContext.get();
    DeviceLayer l = layer;
    return l.choose(setting.configName(), task == null ? null : l.assignedGpu(task));
  }

  /** This JVM's base manager on {@code device}, made on first use and kept for the JVM's life. */
  public static NDManager manager(Device device) {
    return MANAGERS.computeIfAbsent(device, d -> layer.manager(d));
  }

  /** The device's name for outputs' metadata: {@code cpu} or {@code gpu:<id>}. */
  public static String deviceName(Device device) {
    return device.isGpu() ? "gpu:" + device.getDeviceId() : "cpu";
  }

  /**
   * The cached {@code kind} value of {@code key}, loaded by {@code load} when absent (evicting the
   * least recently used entry beyond the kind's capacity).
   */
  @SuppressWarnings("unchecked")
  public static <V> V shared(Kind kind, Object key, Supplier<V> load) {
    Objects.requireNonNull(key, "key");
    LinkedHashMap<Object, Object> cache = CACHES.computeIfAbsent(kind,
        k -> new LinkedHashMap<>(16, 0.75f, true));
    synchronized (cache) {
      Object v = cache.get(key);
      if (v == null) {
        v = Objects.requireNonNull(load.get(), () -> kind + " " + key);
        cache.put(key, v);
        while (cache.size() > kind.capacity) {
          cache.remove(cache.keySet().iterator().next());
        }
      }
      return (V) v;
    }
  }

  /**
   * Checks on the driver, before any work, that {@code device} can be had: with {@code gpu} on a
   * local master the driver's JVM runs the tasks, so it must see a usable GPU; on a cluster the
   * executors must be given GPUs ({@code spark.executor.resource.gpu.amount}), which they then
   * verify themselves.
   *
   * @throws InputException naming the setting and what is missing
   */
  public static void checkOnDriver(SparkContext sc, RdnasConfig.Device device) {
    if (device != RdnasConfig.Device.GPU) {
      return;
    }
    if (sc.isLocal()) {
      try {
        layer.choose("gpu", null);
      } catch (IllegalStateException e) {
        throw new InputException(e.getMessage() + " (master " + sc.master() + ")", e);
      }
    } else if (sc.getConf().getDouble("spark.executor.resource.gpu.amount", 0) <= 0) {
      throw new InputException("rdnas.device = gpu, but spark.executor.resource.gpu.amount is "
          + "not set: Spark gives the executors no GPU. Set it (and spark.task.resource.gpu.amount "
          + "and a discovery script, see deploy/gpu/), or use rdnas.device=auto or cpu");
    }
  }

  /** Replaces the device layer (tests) and drops the managers made so far; returns the old layer. */
  static DeviceLayer useDeviceLayer(DeviceLayer replacement) {
    DeviceLayer old = layer;
    layer = Objects.requireNonNull(replacement, "replacement");
    MANAGERS.clear();
    return old;
  }

}
