package org.rdnas.spark;
import ai.djl.Device;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.io.IOException;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.SparkContext;
import org.apache.spark.resource.ResourceInformation;
import org.rdnas.config.RdnasConfig;
import org.rdnas.data.BatchAssembler;
import org.rdnas.data.ImageDataset;
import org.rdnas.io.InputException;
import org.rdnas.nn.Devices;
import org.rdnas.scoring.ScoringSettings;

/**
 * What scoring tasks share within one executor JVM: the PyTorch thread settings (fixed when the
 * engine starts, so they are set before its first use), the device a task runs on, and the loaded
 * dataset (read once per JVM rather than once per task).
 */
public final class ExecutorRuntime {

  private static String dataKey;
  private static BatchAssembler data;

  private ExecutorRuntime() {}

  /** PyTorch threads for this JVM: the task slot's cores unless -D set (see {@link Devices}). */
  public static void configureThreads(int taskCpus) {
    Devices.configureThreads(taskCpus);
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
  public static Device device(String setting, Map<String, ResourceInformation> resources) {
    ResourceInformation assigned = resources == null ? null : resources.get("gpu");
    Integer gpu = assigned != null && assigned.addresses().length > 0
        ? Integer.valueOf(assigned.addresses()[0].strip()) : null;
    return Devices.choose(setting, gpu);
  }

  /**
   * Checks that arrays made by {@code manager} really live on {@code device} and returns the
   * device's name for the table's metadata.
   */
  public static String verify(NDManager manager, Device device) {
    try (NDArray probe = manager.zeros(new Shape(1))) {
      Device actual = probe.getDevice();
      if (!actual.equals(device)) {
        throw new IllegalStateException("asked for " + device + " but arrays land on " + actual
            + " (" + engineDescription() + ")");
      }
    }
    return device.isGpu() ? "gpu:" + device.getDeviceId() : "cpu";
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
        Devices.choose("gpu", null);
      } catch (IllegalStateException e) {
        throw new InputException(e.getMessage() + " (master " + sc.master() + ")", e);
      }
    } else if (sc.getConf().getDouble("spark.executor.resource.gpu.amount", 0) <= 0) {
      throw new InputException("rdnas.device = gpu, but spark.executor.resource.gpu.amount is "
          + "not set: Spark gives the executors no GPU. Set it (and spark.task.resource.gpu.amount "
          + "and a discovery script, see deploy/gpu/), or use rdnas.device=auto or cpu");
    }
  }

  public static String engineDescription() {
    return Devices.engineDescription();
  }

  /** The dataset of {@code settings}, loaded once per JVM (kept while tasks ask for the same). */
  public static synchronized BatchAssembler data(ScoringSettings settings, Configuration conf)
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
