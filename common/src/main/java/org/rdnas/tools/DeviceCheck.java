package org.rdnas.tools;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.util.cuda.CudaUtils;
import java.lang.management.MemoryUsage;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.rdnas.config.RdnasConfig;
import org.rdnas.config.TrainConfig;
import org.rdnas.data.BatchAssembler;
import org.rdnas.data.DataSource;
import org.rdnas.data.Datasets;
import org.rdnas.nn.CellConvention;
import org.rdnas.nn.Devices;
import org.rdnas.nn.Nb201Network;
import org.rdnas.nn.NetworkConfig;
import org.rdnas.proxy.Proxies;
import org.rdnas.proxy.ProxyScore;
import org.rdnas.proxy.ProxyScorer;
import org.rdnas.space.Arch;
import org.rdnas.nn.Nb201Supernet;
import org.rdnas.space.Nb201SearchSpace;
import org.rdnas.space.Nb201Space;
import org.rdnas.train.GradientSum;
import org.rdnas.train.GradientWorker;
import org.rdnas.train.ParamSlice;
import org.rdnas.train.StepPlan;
import org.rdnas.train.StepPlanner;
import org.rdnas.train.TrainingState;

/**
 * Proves the GPU path on a machine with one: arrays really on CUDA, every proxy of a few archs
 * equal to its CPU value within float32 tolerance, one training step's gradient equal to the CPU
 * step's, and figures (archs per second for all proxies, training images per second, GPU memory),
 * printed as a table. Without a usable GPU it says what is missing and exits 2; a difference beyond
 * tolerance exits 1. {@code device=cpu} runs the same comparison CPU against CPU (a self-test).
 *
 * <p>Usage: {@code DeviceCheck [device=gpu] [archs=3] [channels=16] [cells=5] [steps=5]
 * [batch=64] [tolerance=0.01]}
 */
public final class DeviceCheck {
  private DeviceCheck() {}

  public static void main(String[] args) {
    Map<String, String> opt = new LinkedHashMap<>();
    for (String a : args) {
      int eq = a.indexOf('=');
      if (eq < 1) {
        System.err.println("device-check: expected key=value, got '" + a + "'");
        System.exit(2);
      }
      opt.put(a.substring(0, eq), a.substring(eq + 1));
    }
    String setting = opt.getOrDefault("device", "gpu");
    Device device;
    if (setting.equals("cpu")) {
      device = Device.cpu();
    } else {
      String why = Engine.getInstance().getGpuCount() > 0 ? Devices.unusable(Device.gpu(0))
          : "PyTorch sees no CUDA device";
      if (why != null) {
        System.err.println("device-check: no usable GPU: " + why + " (" + Devices.engineDescription()
            + "). Needs the NVIDIA driver (nvidia-smi works), libtorch " + Engine.getInstance()
            .getVersion() + " built for CUDA (PYTORCH_LIBRARY_PATH, PYTORCH_VERSION, "
            + "PYTORCH_FLAVOR=cu128; docker/Dockerfile.cuda sets them) and libcudart on "
            + "jna.library.path");
        System.exit(2);
      }
      device = Device.gpu(0);
    }
    boolean ok = check(device, Integer.parseInt(opt.getOrDefault("archs", "3")),
        Integer.parseInt(opt.getOrDefault("channels", "16")),
        Integer.parseInt(opt.getOrDefault("cells", "5")),
        Integer.parseInt(opt.getOrDefault("steps", "5")),
        Integer.parseInt(opt.getOrDefault("batch", "64")),
        Double.parseDouble(opt.getOrDefault("tolerance", "0.01")));
    System.exit(ok ? 0 : 1);
  }

  /** Runs the comparison of {@code device} against the CPU and prints it; true when all agree. */
  static boolean check(Device device, int archs, int channels, int cells, int steps, int batch,
      double tolerance) {
    Nb201Network net = Nb201Network.of(NetworkConfig.cifar10(channels, cells,
        CellConvention.SEARCH));
    BatchAssembler data;
    try {
      data = BatchAssembler.standard(Datasets.load(DataSource.SYNTHETIC, "", 1024, 0));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    List<Arch> sample = Nb201Space.withoutNone().sample(archs, 7);
    System.out.printf(Locale.ROOT, "device check: %s against cpu; %s; C=%d N=%d, %d archs, batch %d"
        + "%n", device, Devices.engineDescription(), channels, cells, archs, batch);
    boolean ok = true;
    try (NDManager on = NDManager.newBaseManager(device);
        NDManager cpu = NDManager.newBaseManager(Device.cpu())) {
      try (NDArray probe = on.zeros(new Shape(1))) {
        boolean there = probe.getDevice().equals(device);
        System.out.printf("arrays land on %s: %s%n", probe.getDevice(), there ? "yes" : "NO");
        ok &= there;
      }
      ProxyScorer scorer = ProxyScorer.builder(net, Proxies.byNames(Proxies.names()))
          .optData(data).optBatchSize(batch).optSeed(0).build();
      Map<String, Double> worst = new LinkedHashMap<>();
      long onNanos = 0;
      long cpuNanos = 0;
      for (Arch a : sample) {
        long t0 = System.nanoTime();
        List<ProxyScore> got = scorer.score(on, a);
        long t1 = System.nanoTime();
        List<ProxyScore> want = scorer.score(cpu, a);
        cpuNanos += System.nanoTime() - t1;
        onNanos += t1 - t0;
        for (int i = 0; i < got.size(); i++) {
          worst.merge(got.get(i).proxy(), relative(got.get(i), want.get(i)), Math::max);
        }
      }
      System.out.printf("%n%-18s %14s  %s%n", "proxy", "max rel. diff", "verdict");
      for (Map.Entry<String, Double> e : worst.entrySet()) {
        boolean agree = e.getValue() <= tolerance;
        ok &= agree;
        System.out.printf(Locale.ROOT, "%-18s %14.2e  %s%n", e.getKey(), e.getValue(),
            agree ? "ok" : "DIFFERS (tolerance " + tolerance + ")");
      }

      TrainConfig train = RdnasConfig.defaults().with("train.mode=spos",
          "train.batch-size=" + batch, "train.micro-batch=" + batch, "train.epochs=1").train();
      Nb201Supernet supernet = new Nb201Supernet(net);
      StepPlanner planner = StepPlanner.spos(train, 1024, batch,
          Nb201SearchSpace.of(Nb201Space.withoutNone(), net));
      TrainingState state = TrainingState.start(cpu, supernet, planner);
      StepPlan plan = state.plan();
      GradientWorker worker = new GradientWorker(supernet, data);
      ParamSlice slice = ParamSlice.of(supernet, plan);
      float[] w = slice.gather(state.weights());
      GradientSum want = worker.computeSlice(cpu, w, plan, 0, 1);
      GradientSum got = worker.computeSlice(on, w, plan, 0, 1);
      double step = gradientDifference(got.gradient(), want.gradient());
      boolean stepOk = step <= tolerance;
      ok &= stepOk;
      System.out.printf(Locale.ROOT, "%ntraining step (SPOS, %d images): max |grad diff| / max "
          + "|grad| = %.2e  %s%n", batch, step, stepOk ? "ok" : "DIFFERS");
      long s0 = System.nanoTime();
      for (int i = 0; i < steps; i++) {
        worker.computeSlice(on, w, plan, 0, 1);
      }
      double onImages = steps * (double) batch / ((System.nanoTime() - s0) / 1e9);
      long s1 = System.nanoTime();
      for (int i = 0; i < steps; i++) {
        worker.computeSlice(cpu, w, plan, 0, 1);
      }
      double cpuImages = steps * (double) batch / ((System.nanoTime() - s1) / 1e9);

      System.out.printf(Locale.ROOT, "%n%-34s %12s %12s%n", "throughput", device.toString(),
          "cpu");
      System.out.printf(Locale.ROOT, "%-34s %12.2f %12.2f%n", "archs/s, all " + worst.size()
          + " proxies", archs / (onNanos / 1e9), archs / (cpuNanos / 1e9));
      System.out.printf(Locale.ROOT, "%-34s %12.1f %12.1f%n", "training images/s (fwd+bwd)",
          onImages, cpuImages);
      if (device.isGpu()) {
        MemoryUsage m = CudaUtils.getGpuMemory(device);
        System.out.printf(Locale.ROOT, "%-34s %12s%n", "GPU memory used / total (MiB)",
            (m.getUsed() >> 20) + " / " + (m.getMax() >> 20));
      }
    }
    System.out.println(ok ? "\ndevice check passed" : "\ndevice check FAILED");
    return ok;
  }

  private static double relative(ProxyScore got, ProxyScore want) {
    if (got.ok() != want.ok()) {
      return Double.POSITIVE_INFINITY;
    }
    if (!got.ok() || got.value() == want.value()) {
      return 0;
    }
    return Math.abs(got.value() - want.value()) / Math.max(1e-12, Math.abs(want.value()));
  }

  private static double gradientDifference(float[] got, float[] want) {
    double diff = 0;
    double scale = 0;
    for (int i = 0; i < want.length; i++) {
      diff = Math.max(diff, Math.abs(got[i] - want[i]));
      scale = Math.max(scale, Math.abs(want[i]));
    }
    return scale == 0 ? diff : diff / scale;
  }
}
