package org.rdnas.spark;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.resource.ResourceInformation;
import org.rdnas.data.BatchAssembler;
import org.rdnas.data.ImageDataset;

/**
 * What scoring tasks share within one executor JVM: the PyTorch thread settings (fixed when the
 * engine starts, so they are set before its first use), the device a task runs on, and the loaded
 * dataset (read once per JVM rather than once per task).
 */
final class ExecutorRuntime {
  static final String THREADS = "ai.djl.pytorch.num_threads";
  static final String INTEROP_THREADS = "ai.djl.pytorch.num_interop_threads";

  private static String dataKey;
  private static BatchAssembler data;

  private ExecutorRuntime() {}

  /**
   * Gives PyTorch as many intra-op threads as the task slot owns ({@code spark.task.cpus}), unless
   * set already (a -D of the user's wins). Effective only before the engine's first use in this JVM;
   * with several slots per JVM every task asks for the same number, so the first one decides.
   */
  static synchronized void configureThreads(int taskCpus) {
    if (System.getProperty(THREADS) == null) {
      System.setProperty(THREADS, Integer.toString(Math.max(1, taskCpus)));
    }
    if (System.getProperty(INTEROP_THREADS) == null) {
      System.setProperty(INTEROP_THREADS, "1");
    }
  }

  /**
   * The device for {@code setting} ({@code auto}, {@code cpu}, {@code gpu}): the GPU Spark assigned
   * to the task (resource {@code gpu}) if any, else the first GPU the engine sees, else (auto only)
   * the CPU. A GPU counts only once an array made on it really lives there: DJL reports GPUs from
   * the CUDA driver even when its PyTorch natives are CPU-only.
   *
   * @throws IllegalStateException when a GPU is required (setting {@code gpu}, or assigned by
   *     Spark) and none is usable
   */
  static Device device(String setting, Map<String, ResourceInformation> resources) {
    if (setting.equals("cpu")) {
      return Device.cpu();
    }
    ResourceInformation assigned = resources == null ? null : resources.get("gpu");
    if (assigned != null && assigned.addresses().length > 0) {
      Device gpu = Device.gpu(Integer.parseInt(assigned.addresses()[0].strip()));
      String why = unusable(gpu);
      if (why != null) {
        throw new IllegalStateException("Spark assigned " + gpu + " to this task, but " + why);
      }
      return gpu;
    }
    String why = Engine.getInstance().getGpuCount() > 0 ? unusable(Device.gpu(0))
        : "the engine sees no CUDA device";
    if (why == null) {
      return Device.gpu(0);
    }
    if (setting.equals("gpu")) {
      throw new IllegalStateException("rdnas.device = gpu, but " + why + " ("
          + engineDescription() + "); use rdnas.device=auto or cpu, or give executors CUDA natives");
    }
    return Device.cpu();
  }

  /** Why {@code gpu} cannot hold arrays, or null when it can. */
  private static String unusable(Device gpu) {
    try (NDManager m = NDManager.newBaseManager(gpu); NDArray probe = m.zeros(new Shape(1))) {
      return probe.getDevice().equals(gpu) ? null
          : "arrays made for " + gpu + " land on " + probe.getDevice();
    } catch (RuntimeException | UnsatisfiedLinkError e) {
      return "the PyTorch engine cannot use " + gpu + ": " + e.getMessage();
    }
  }

  /**
   * Checks that arrays made by {@code manager} really live on {@code device} and returns the
   * device's name for the table's metadata.
   */
  static String verify(NDManager manager, Device device) {
    try (NDArray probe = manager.zeros(new Shape(1))) {
      Device actual = probe.getDevice();
      if (!actual.equals(device)) {
        throw new IllegalStateException("asked for " + device + " but arrays land on " + actual
            + " (" + engineDescription() + ")");
      }
    }
    return device.isGpu() ? "gpu:" + device.getDeviceId() : "cpu";
  }

  static String engineDescription() {
    Engine e = Engine.getInstance();
    return e.getEngineName() + " " + e.getVersion() + ", DJL " + Engine.getDjlVersion();
  }

  /** The dataset of {@code settings}, loaded once per JVM (kept while tasks ask for the same). */
  static synchronized BatchAssembler data(ScoringSettings settings, Configuration conf)
      throws IOException {
    String key = settings.dataKey();
    if (!key.equals(dataKey)) {
      ImageDataset d = settings.loadData(conf);
      data = BatchAssembler.standard(d);
      dataKey = key;
    }
    return data;
  }
}
