package org.rdnas.tools;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import ai.djl.pytorch.jni.JniUtils;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.rdnas.config.TrainConfig;
import org.rdnas.data.Batch;
import org.rdnas.data.BatchAssembler;
import org.rdnas.data.DataSource;
import org.rdnas.data.Datasets;
import org.rdnas.data.ImageDataset;
import org.rdnas.nn.CellConvention;
import org.rdnas.nn.Nb201Network;
import org.rdnas.nn.Nb201Supernet;
import org.rdnas.nn.NetworkConfig;
import org.rdnas.nn.ParamSpec;
import org.rdnas.space.Arch;
import org.rdnas.space.Nb201Space;
import org.rdnas.train.GradientSum;
import org.rdnas.train.GradientWorker;
import org.rdnas.train.Preference;
import org.rdnas.train.StepPlan;
import org.rdnas.train.SubnetEvaluator;
import org.rdnas.train.TrainingState;

/**
 * The Java side of {@code deploy/bench/step-vs-pytorch}: one worker's RD-NAS step and one subnet's
 * evaluation exactly as job 2's workers run them ({@link GradientWorker#compute} on a pair,
 * {@link SubnetEvaluator#accuracy} on a subnet), served one at a time on request so that a driver
 * (the script's Python side) can interleave them with PyTorch's and both sides share the machine's
 * load equally.
 *
 * <p>On start it writes to {@code out=DIR} everything the other side needs to compute the same
 * thing: {@code meta.json} (sizes, the arch pairs with the teacher's preference, lambda, margin,
 * eval archs, parameter names and shapes), the initial supernet weights ({@code weights.f32}), the
 * training batch as the worker assembles it (augmented with step 0's draws: {@code train_x.f32},
 * {@code train_y.i64}), the held-out images ({@code eval_x.f32}, {@code eval_y.i64}), and this side's
 * results on pair 0 (gradient sum {@code grad0.f32}, cross-entropies and ranking loss) and on every
 * eval arch (accuracies), so the other side can prove it computes the same functions. All arrays are
 * little-endian. Then it prints {@code @ready} and answers one request per stdin line:
 * {@code train K} (step on pair K) or {@code eval K} (accuracy of eval arch K) with
 * {@code @ms <milliseconds> <open arrays> <minor page faults> <CPU milliseconds of this thread>}; {@code profile train|eval K FILE} does the same under
 * libtorch's profiler and writes its Chrome trace to FILE; {@code quit} ends it. Protocol lines start with {@code @}.
 *
 * <p>Pairs: a from the space, b redrawn until the group distance is at least {@code threshold}
 * (the margin sampler's rule), the FLOPs teacher's preference (more MACs preferred), as job 2 with
 * its default teacher samples them. Every step uses step 0's batch, so both sides see one batch.
 *
 * <p>Usage: {@code StepBenchmark out=DIR [channels=8] [cells=1] [batch=32] [eval-batch=256]
 * [eval-images=512] [pairs=16] [eval-archs=8] [lambda=2] [threshold=6.7] [space=nb201]
 * [data=CIFAR10_FILE] [seed=0]}; without data, synthetic images.
 */
public final class StepBenchmark {
  private static final java.lang.management.ThreadMXBean THREADS =
      java.lang.management.ManagementFactory.getThreadMXBean();

  private StepBenchmark() {}

  public static void main(String[] args) throws IOException {
    Map<String, String> opt = new LinkedHashMap<>();
    for (String a : args) {
      int eq = a.indexOf('=');
      if (eq < 1) {
        throw new IllegalArgumentException("step-benchmark: expected key=value, got '" + a + "'");
      }
      opt.put(a.substring(0, eq), a.substring(eq + 1));
    }
    String outSetting = opt.remove("out");
    if (outSetting == null || outSetting.isBlank()) {
      throw new IllegalArgumentException("step-benchmark: out=DIR is required");
    }
    Path out = Path.of(outSetting);
    int channels = intOpt(opt, "channels", 8);
    int cells = intOpt(opt, "cells", 1);
    int batch = intOpt(opt, "batch", 32);
    int evalBatch = intOpt(opt, "eval-batch", 256);
    int evalImages = intOpt(opt, "eval-images", 512);
    int pairCount = intOpt(opt, "pairs", 16);
    int evalArchCount = intOpt(opt, "eval-archs", 8);
    double lambda = Double.parseDouble(opt.getOrDefault("lambda", "2"));
    double threshold = Double.parseDouble(opt.getOrDefault("threshold", "6.7"));
    String spaceName = opt.getOrDefault("space", "nb201");
    String data = opt.getOrDefault("data", "");
    long seed = Long.parseLong(opt.getOrDefault("seed", "0"));
    for (String k : List.of("channels", "cells", "batch", "eval-batch", "eval-images", "pairs",
        "eval-archs", "lambda", "threshold", "space", "data", "seed")) {
      opt.remove(k);
    }
    if (!opt.isEmpty()) {
      throw new IllegalArgumentException("step-benchmark: unknown settings " + opt.keySet());
    }

    ImageDataset all = data.isEmpty()
        ? Datasets.load(DataSource.SYNTHETIC, "", evalImages + batch, seed)
        : Datasets.load(DataSource.CIFAR10, data, evalImages + batch, 0);
    if (all.size() < evalImages + batch) {
      throw new IllegalArgumentException("step-benchmark: " + data + " holds " + all.size()
          + " images, the benchmark needs " + (evalImages + batch));
    }
    int[] evalIdx = range(0, evalImages);
    int[] trainIdx = range(evalImages, evalImages + batch);
    BatchAssembler heldOut = BatchAssembler.standard(all.subset(evalIdx));
    BatchAssembler train = BatchAssembler.standard(all.subset(trainIdx));
    Nb201Network net = Nb201Network.of(NetworkConfig.cifar10(channels, cells, CellConvention.SEARCH));
    Nb201Space space = Nb201Space.named(spaceName);
    Nb201Supernet supernet = new Nb201Supernet(net);
    GradientWorker worker = new GradientWorker(supernet, train);
    SubnetEvaluator evaluator = new SubnetEvaluator(supernet, heldOut, evalBatch);

    SplittableRandom rng = new SplittableRandom(seed);
    List<StepPlan> plans = new ArrayList<>();
    int[] batchIdx = range(0, batch);
    for (int i = 0; i < pairCount; i++) {
      Arch a = space.sampleOne(rng);
      Arch b = space.sampleOne(rng);
      for (int t = 0; t < 10_000 && Nb201Space.groupDistance(a, b) < threshold; t++) {
        b = space.sampleOne(rng);
      }
      Preference pref = net.macs(b) > net.macs(a) ? Preference.B : Preference.A;
      plans.add(new StepPlan(0, 0, TrainConfig.Mode.RDNAS, a.id(), b.id(), -1, pref, lambda, 0,
          batchIdx, batch, true, seed));
    }
    List<Arch> evalArchs = space.sample(evalArchCount, seed + 1);

    PrintStream proto = new PrintStream(new java.io.FileOutputStream(java.io.FileDescriptor.out),
        true, StandardCharsets.UTF_8);
    try (NDManager root = NDManager.newBaseManager()) {
      float[] weights = TrainingState.initialWeights(root, supernet, seed);
      GradientSum first = worker.compute(root, weights, plans.get(0), 0, 1);
      double[] accuracy = new double[evalArchs.size()];
      for (int i = 0; i < accuracy.length; i++) {
        accuracy[i] = evaluator.accuracy(root, weights, evalArchs.get(i).id());
      }
      Files.createDirectories(out);
      Batch trainBatch = train.assemble(batchIdx, true, seed, 0);
      Batch evalBatchAll = heldOut.assemble(evalIdx, false, 0, 0);
      writeFloats(out.resolve("weights.f32"), weights);
      writeFloats(out.resolve("train_x.f32"), trainBatch.images());
      writeLongs(out.resolve("train_y.i64"), trainBatch.labels());
      writeFloats(out.resolve("eval_x.f32"), evalBatchAll.images());
      writeLongs(out.resolve("eval_y.i64"), evalBatchAll.labels());
      writeFloats(out.resolve("grad0.f32"), first.gradient());
      Map<String, Object> meta = new LinkedHashMap<>();
      meta.put("engine", Engine.getInstance().getEngineName() + " " + Engine.getInstance().getVersion());
      meta.put("threads", System.getProperty("ai.djl.pytorch.num_threads", "default"));
      meta.put("data", all.origin());
      meta.put("channels", channels);
      meta.put("cells", cells);
      meta.put("batch", batch);
      meta.put("eval_batch", evalBatch);
      meta.put("eval_images", evalImages);
      meta.put("space", spaceName);
      meta.put("lambda", lambda);
      meta.put("margin", 0.0);
      List<Map<String, Object>> pairs = new ArrayList<>();
      for (StepPlan p : plans) {
        pairs.add(Map.of("a", supernet.code(p.archIdA()), "b", supernet.code(p.archIdB()),
            "preferred", p.preferred().name()));
      }
      meta.put("pairs", pairs);
      meta.put("eval_archs", evalArchs.stream().map(Arch::toString).toList());
      List<Map<String, Object>> params = new ArrayList<>();
      for (ParamSpec p : net.parameters()) {
        params.add(Map.of("name", p.name(), "shape", p.shape()));
      }
      meta.put("params", params);
      meta.put("pair0", Map.of("ce_a_sum", first.ceASum(), "ce_b_sum", first.ceBSum(),
          "rank_sum", first.rankSum(), "count", first.count()));
      meta.put("eval_accuracy", accuracy);
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
          .writeValue(out.resolve("meta.json").toFile(), meta);
      proto.println("@ready");

      BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      for (String line; (line = in.readLine()) != null; ) {
        String[] cmd = line.trim().split("\\s+");
        if (cmd[0].equals("quit")) {
          break;
        }
        boolean profile = cmd[0].equals("profile") && cmd.length == 4;
        if (profile) {
          cmd = Arrays.copyOfRange(cmd, 1, 4);
        }
        if (cmd.length != (profile ? 3 : 2) || !(cmd[0].equals("train") || cmd[0].equals("eval"))) {
          proto.println("@error unknown request '" + line
              + "' (train K, eval K, profile train|eval K TRACE_FILE or quit)");
          continue;
        }
        int k = Integer.parseInt(cmd[1]);
        if (profile) {
          // libtorch's profiler: every aten op with its time, as a Chrome trace.
          JniUtils.startProfile(false, false, false);
        }
        long faults = minorFaults();
        long cpu0 = THREADS.getCurrentThreadCpuTime();
        long t0 = System.nanoTime();
        if (cmd[0].equals("train")) {
          worker.compute(root, weights, plans.get(Math.floorMod(k, plans.size())), 0, 1);
        } else {
          evaluator.accuracy(root, weights, evalArchs.get(Math.floorMod(k, evalArchs.size())).id());
        }
        double ms = (System.nanoTime() - t0) / 1e6;
        double cpuMs = (THREADS.getCurrentThreadCpuTime() - cpu0) / 1e6;
        if (profile) {
          JniUtils.stopProfile(cmd[2]);
        }
        proto.println(String.format(Locale.ROOT, "@ms %.4f %d %d %.4f", ms,
            root.getManagedArrays().size(), minorFaults() - faults, cpuMs));
      }
    }
  }

  /** Minor page faults of this process so far (fresh memory touched), from /proc; -1 elsewhere. */
  private static long minorFaults() {
    try {
      String stat = Files.readString(Path.of("/proc/self/stat"));
      // Fields after the command name (in parentheses, which may hold spaces): minflt is the 8th.
      String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return Long.parseLong(f[7]);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  private static int intOpt(Map<String, String> opt, String key, int dflt) {
    int v = Integer.parseInt(opt.getOrDefault(key, Integer.toString(dflt)));
    if (v < 1) {
      throw new IllegalArgumentException("step-benchmark: " + key + " must be >= 1, got " + v);
    }
    return v;
  }

  private static int[] range(int from, int to) {
    int[] r = new int[to - from];
    Arrays.setAll(r, i -> from + i);
    return r;
  }

  private static void writeFloats(Path p, float[] v) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(4 * v.length).order(ByteOrder.LITTLE_ENDIAN);
    b.asFloatBuffer().put(v);
    write(p, b);
  }

  private static void writeLongs(Path p, int[] v) throws IOException {
    ByteBuffer b = ByteBuffer.allocate(8 * v.length).order(ByteOrder.LITTLE_ENDIAN);
    for (int x : v) {
      b.putLong(x);
    }
    b.flip();
    write(p, b);
  }

  private static void write(Path p, ByteBuffer b) throws IOException {
    try (FileChannel c = FileChannel.open(p, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
        StandardOpenOption.TRUNCATE_EXISTING)) {
      while (b.hasRemaining()) {
        c.write(b);
      }
    }
  }
}
