package org.rdnas.spark.train;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.rdnas.spark.HadoopConfBytes;
import org.rdnas.train.GradientSum;
import org.rdnas.train.StepPlan;

/**
 * The driver's side of data-parallel training: each step is one small Spark job over W worker
 * partitions that returns their gradient sums, and each evaluation one job over partitions of the
 * eval archs. The weights of the current version travel as one broadcast, made once per version
 * (a step and the evaluation after it share one) and destroyed when the next version replaces it.
 *
 * <p>The workers' sums are added on the driver in worker order, not by Spark's reduce or
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
  private Broadcast<float[]> weights;
  private long version = -1;

  SparkWorkers(JavaSparkContext jsc, WorkerRuntime.Settings settings, HadoopConfBytes conf, int workers) {
    this.jsc = jsc;
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

  /** Runs {@code plan} on weights version {@code v} (supplied when not broadcast yet). */
  StepSums step(StepPlan plan, long v, Supplier<float[]> w) {
    Broadcast<float[]> b = broadcast(v, w);
    jsc.setJobDescription("rdnas step " + plan.step() + " (epoch " + plan.epoch() + ")");
    List<WorkerResult> results = jsc.parallelize(workerIds, workers)
        .map(new StepFunction(settings, conf, b, v, plan, workers)).collect();
    WorkerResult[] byWorker = new WorkerResult[workers];
    for (WorkerResult r : results) {
      byWorker[r.worker()] = r;
    }
    GradientSum total = null;
    long[] nanos = new long[workers];
    long max = 0;
    for (int i = 0; i < workers; i++) {
      if (byWorker[i] == null) {
        throw new IllegalStateException("step " + plan.step() + ": no result from worker " + i);
      }
      GradientSum s = byWorker[i].sum();
      total = total == null ? GradientSum.zero(s.gradient().length).add(s) : total.add(s);
      nanos[i] = byWorker[i].computeNanos();
      max = Math.max(max, nanos[i]);
    }
    return new StepSums(total, max, nanos);
  }

  /**
   * The held-out accuracy of each arch of {@code archIds} with weights version {@code v}, in the
   * same order, over at most {@code partitions} tasks.
   */
  double[] evaluate(int[] archIds, long v, Supplier<float[]> w, int partitions) {
    Broadcast<float[]> b = broadcast(v, w);
    jsc.setJobDescription("rdnas evaluation of " + archIds.length + " archs at step " + v);
    List<Integer> ids = Arrays.stream(archIds).boxed().toList();
    List<Double> acc = jsc.parallelize(ids, Math.max(1, Math.min(partitions, ids.size())))
        .map(new EvalFunction(settings, conf, b, v)).collect();
    return acc.stream().mapToDouble(Double::doubleValue).toArray();
  }

  private Broadcast<float[]> broadcast(long v, Supplier<float[]> w) {
    if (v != version) {
      Broadcast<float[]> old = weights;
      weights = jsc.broadcast(w.get());
      version = v;
      if (old != null) {
        // Every task of the old version has finished: its job has returned.
        old.destroy();
      }
    }
    return weights;
  }

  @Override
  public void close() {
    if (weights != null) {
      weights.destroy();
      weights = null;
    }
    conf.destroy();
  }
}
