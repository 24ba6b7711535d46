package org.rdnas.spark.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.rdnas.spark.HadoopConfBytes;
import org.rdnas.nn.Nb201Network;
import org.rdnas.train.GradientSum;
import org.rdnas.train.ParamSlice;
import org.rdnas.train.RoundPlan;
import org.rdnas.train.RoundResult;
import org.rdnas.train.StepPlan;

/**
 * The driver's side of data-parallel training: each step, or each round of local SGD, is one small
 * Spark job over W worker partitions that returns their gradient sums (or their weights and
 * momentum after the round), and each evaluation one job over partitions of the eval archs. The
 * weights of the current version travel as one broadcast, made once per version and destroyed when
 * the next version replaces it: for a step only the {@link ParamSlice} its subnets use, and the
 * workers return gradient sums over that slice alone; for an evaluation or a local-SGD round the
 * whole vector (a round's subnets vary by step, and its momentum travels the same way).
 *
 * <p>The workers' results are combined on the driver in worker order, not by Spark's reduce or
 * {@code treeAggregate}, which merge partial results in the order tasks finish: float addition is
 * not associative, and a fixed order is what makes a run bit-for-bit reproducible whichever
 * executor finishes first, is lost or retried, and equal to the in-process
 * {@link org.rdnas.train.Trainer} with the same W.
 */
final class SparkWorkers implements AutoCloseable {
  private final JavaSparkContext jsc;
  private final WorkerRuntime.Settings settings;
  private final Broadcast<HadoopConfBytes> conf;
  private final int workers;
  private final List<Integer> workerIds;
  private final Nb201Network network;
  private final Versioned weights = new Versioned();
  private final Versioned stepWeights = new Versioned();
  private final Versioned momentum = new Versioned();

  SparkWorkers(JavaSparkContext jsc, WorkerRuntime.Settings settings, HadoopConfBytes conf, int workers) {
    this.jsc = jsc;
    this.network = settings.network();
    this.settings = settings;
    this.conf = jsc.broadcast(conf);
    this.workers = workers;
    this.workerIds = new ArrayList<>();
    for (int w = 0; w < workers; w++) {
      workerIds.add(w);
    }
  }

  /** The outcome of one step's Spark job. */
  record StepSums(GradientSum total, long maxComputeNanos, long[] computeNanos) {}

  /** The outcome of one local-SGD round's Spark job: the workers' results in worker order. */
  record RoundResults(List<RoundResult> byWorker, long maxComputeNanos) {}

  /**
   * Runs {@code plan} on weights version {@code v} (supplied when not broadcast yet); the total is
   * over the whole supernet, zeros outside the plan's slice.
   */
  StepSums step(StepPlan plan, long v, Supplier<float[]> w) {
    ParamSlice slice = ParamSlice.of(network, plan);
    Broadcast<float[]> b = stepWeights.of(v, () -> slice.gather(w.get()));
    jsc.setJobDescription("rdnas step " + plan.step() + " (epoch " + plan.epoch() + ")");
    String what = "step " + plan.step();
    List<WorkerResult<GradientSum>> results = inWorkerOrder(jsc.parallelize(workerIds, workers)
        .map(new StepFunction(settings, conf, b, v, plan, workers)).collect(), what);
    GradientSum total = null;
    long[] nanos = new long[workers];
    for (int i = 0; i < workers; i++) {
      GradientSum s = results.get(i).value();
      total = total == null ? GradientSum.zero(slice.size()).add(s) : total.add(s);
      nanos[i] = results.get(i).computeNanos();
    }
    return new StepSums(slice.scatter(total), Arrays.stream(nanos).max().orElse(0), nanos);
  }

  /**
   * Runs the local-SGD round {@code round} from weights and momentum version {@code v} (supplied
   * when not broadcast yet).
   */
  RoundResults round(RoundPlan round, long v, Supplier<float[]> w, Supplier<float[]> m) {
    Broadcast<float[]> bw = weights.of(v, w);
    Broadcast<float[]> bm = momentum.of(v, m);
    String steps = "steps " + round.firstStep() + ".." + (round.firstStep() + round.size() - 1);
    jsc.setJobDescription("rdnas " + steps + " (epoch " + round.steps().get(0).epoch() + ")");
    List<WorkerResult<RoundResult>> results = inWorkerOrder(jsc.parallelize(workerIds, workers)
        .map(new RoundFunction(settings, conf, bw, bm, v, round, workers)).collect(), steps);
    return new RoundResults(results.stream().map(WorkerResult::value).toList(),
        results.stream().mapToLong(WorkerResult::computeNanos).max().orElse(0));
  }

  /** {@code results} by worker index; {@code what} names the job in the error for a missing one. */
  private <T> List<WorkerResult<T>> inWorkerOrder(List<WorkerResult<T>> results, String what) {
    List<WorkerResult<T>> byWorker = new ArrayList<>();
    for (int i = 0; i < workers; i++) {
      byWorker.add(null);
    }
    for (WorkerResult<T> r : results) {
      byWorker.set(r.worker(), r);
    }
    for (int i = 0; i < workers; i++) {
      if (byWorker.get(i) == null) {
        throw new IllegalStateException(what + ": no result from worker " + i);
      }
    }
    return byWorker;
  }

  /**
   * The held-out accuracy of each arch of {@code archIds} with weights version {@code v}, in the
   * same order, over at most {@code partitions} tasks.
   */
  double[] evaluate(int[] archIds, long v, Supplier<float[]> w, int partitions) {
    Broadcast<float[]> b = weights.of(v, w);
    jsc.setJobDescription("rdnas evaluation of " + archIds.length + " archs at step " + v);
    List<Integer> ids = Arrays.stream(archIds).boxed().toList();
    List<Double> acc = jsc.parallelize(ids, Math.max(1, Math.min(partitions, ids.size())))
        .map(new EvalFunction(settings, conf, b, v)).collect();
    return acc.stream().mapToDouble(Double::doubleValue).toArray();
  }

  @Override
  public void close() {
    weights.destroy();
    stepWeights.destroy();
    momentum.destroy();
    conf.destroy();
  }

  /** One broadcast array of the latest version. */
  private final class Versioned {
    private Broadcast<float[]> current;
    private long version = -1;

    Broadcast<float[]> of(long v, Supplier<float[]> value) {
      if (v != version) {
        Broadcast<float[]> old = current;
        current = jsc.broadcast(value.get());
        version = v;
        if (old != null) {
          // Every task of the old version has finished: its job has returned.
          old.destroy();
        }
      }
      return current;
    }

    void destroy() {
      if (current != null) {
        current.destroy();
        current = null;
      }
    }
  }
}
