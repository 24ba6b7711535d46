package org.rdnas.nn;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.pytorch.jni.JniUtils;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where computation runs and with how many threads. A GPU counts only once an array made on it
 * really lives there: DJL reports GPUs from the CUDA driver even when its PyTorch natives are
 * CPU-only, and silently falls back to the CPU.
 */
public final class Devices {
  private static final Logger LOG = LoggerFactory.getLogger(Devices.class);
  private static final String THREADS = "ai.djl.pytorch.num_threads";
  /** The CPU is announced once per JVM: tasks choose their device many times. */
  private static final AtomicBoolean CPU_ANNOUNCED = new AtomicBoolean();
  private static boolean threadsSet;

  private Devices() {}

  /**
   * The device for {@code setting} ({@code auto}, {@code cpu} or {@code gpu}): the GPU
   * {@code assignedGpu} (for example Spark's task resource) when given, else the first GPU the engine
   * can really use, else (auto only) the CPU.
   *
   * @throws IllegalStateException when a GPU is required (setting {@code gpu}, or assigned) and none
   *     is usable
   */
  public static Device choose(String setting, Integer assignedGpu) {
    if (setting.equalsIgnoreCase("cpu")) {
      return cpu("rdnas.device = cpu");
    }
    if (assignedGpu != null) {
      Device gpu = Device.gpu(assignedGpu);
      String why = unusable(gpu);
      if (why != null) {
        throw new IllegalStateException(gpu + " was assigned to this task, but " + why);
      }
      return gpu;
    }
    String why = Engine.getInstance().getGpuCount() > 0 ? unusable(Device.gpu(0))
        : "the engine sees no CUDA device";
    if (why == null) {
      return Device.gpu(0);
    }
    if (setting.equalsIgnoreCase("gpu")) {
      throw new IllegalStateException("rdnas.device = gpu, but " + why + " (" + engineDescription()
          + "); use rdnas.device=auto or cpu, or give executors CUDA natives");
    }
    return cpu("rdnas.device = auto and " + why);
  }

  /**
   * The CPU, said once per JVM at INFO: DJL's own CUDA probe warns on every machine without a
   * CUDA driver, a false alarm that the logging configuration silences in favour of this line.
   */
  private static Device cpu(String why) {
    if (CPU_ANNOUNCED.compareAndSet(false, true)) {
      LOG.info("computing on the CPU ({})", why);
    }
    return Device.cpu();
  }

  /** Why {@code gpu} cannot hold arrays, or null when it can. */
  public static String unusable(Device gpu) {
    try (NDManager m = NDManager.newBaseManager(gpu); NDArray probe = m.zeros(new Shape(1))) {
      return probe.getDevice().equals(gpu) ? null
          : "arrays made for " + gpu + " land on " + probe.getDevice();
    } catch (RuntimeException | UnsatisfiedLinkError e) {
      return "the PyTorch engine cannot use " + gpu + ": " + e.getMessage();
    }
  }

  /** The engine, its version and DJL's, for logs and output metadata. */
  public static String engineDescription() {
    Engine e = Engine.getInstance();
    return e.getEngineName() + " " + e.getVersion() + ", DJL " + Engine.getDjlVersion();
  }

  /**
   * Gives PyTorch {@code -Dai.djl.pytorch.num_threads} intra-op threads when that is set, else
   * {@code cores} (a Spark task slot's). The count is process-wide, so the first call in a JVM
   * decides; oversubscribed cores make PyTorch's spinning OpenMP threads crawl.
   */
  public static synchronized void configureThreads(int cores) {
    if (threadsSet) {
      return;
    }
    Engine.getEngine("PyTorch");
    int n = Math.max(1, cores);
    String given = System.getProperty(THREADS);
    if (given != null) {
      try {
        n = Math.max(1, Integer.parseInt(given.strip()));
      } catch (NumberFormatException e) {
        // DJL itself rejects a malformed value when the engine starts; keep the given cores.
      }
    }
    JniUtils.setNumThreads(n);
    threadsSet = true;
  }
}
