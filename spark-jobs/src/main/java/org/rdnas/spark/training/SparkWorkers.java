package org.rdnas.spark.training;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;
import org.rdnas.spark.HadoopConfBytes;
import org.rdnas.nn.Supernet;
import org.rdnas.train.GradientSum;
import org.rdnas.train.ParamSlice;
import org.rdnas.train.RoundPlan;
import org.rdnas.train.RoundResult;
import org.rdnas.train.StepPlan;
import org.rdnas.train.SubnetEvaluator;
import org.rdnas.train.Workers;

/**
 * The driver's side of data-parallel training: each step, or each round of local SGD, is one small
 * Spark job over W worker partitions that returns their gradient sums (or their weights and
 * momentum after the round), and each evaluation one job over partitions of the eval archs. The
 * weights of the current version travel as one broadcast, made once per version and destroyed when
 * the next version replaces it: for a step only the {@link ParamSlice} its subnets use, and the
 * workers return gradient sums over that slice alone; for an evaluation or a local-SGD round the
 * whole vector (a round's subnets vary by step, and its momentum travels the same way).
 *
 * <p>The workers' results return to the {@link org.rdnas.train.TrainingRun} in worker order, not
 * combined by Spark's reduce or {@code treeAggregate}, which merge partial results in the order
 * tasks finish: the run adds them in worker order, which makes it bit-for-bit reproducible whichever
 * executor finishes first, is lost or retried, and equal to {@link org.rdnas.train.LocalWorkers}
 * with the same W.
 */
final class SparkWorkers implements Workers {
  /** Eval tasks per task slot, so that slots finishing early find work. */
  private static final int EVAL_TASKS_PER_SLOT = 4;

  private final JavaSparkContext jsc;
  private final TaskSettings settings;
  private final Broadcast<HadoopConfBytes> conf;
  private final int workers;
  private final List<Integer> workerIds;
  private final Supernet network;
  private final Versioned weights = new Versioned();
  private final Versioned stepWeights = new Versioned();
  private final Versioned momentum = new Versioned();

  SparkWorkers(JavaSparkContext jsc, TaskSettings settings, HadoopConfBytes conf, int workers) {
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

  @Override
  public int count() {
    return workers;
  }

  @Override
  public Supernet network() {
    return network;
  }

  @Override
  public Timed<List<GradientSum>> step(StepPlan plan, ParamSlice slice, long v,
      Supplier<float[]> sliceWeights) {
    Broadcast<float[]> b = stepWeights.of(v, sliceWeights);
    jsc.setJobDescription("rdnas step " + plan.step() + " (epoch " + plan.epoch() + ")");
    List<WorkerResult<GradientSum>> results = inWorkerOrder(jsc.parallelize(workerIds, workers)
        .map(new StepFunction(settings, conf, b, v, plan, workers)).collect(),
        "step " + plan.step());
    return timed(results);
  }

  @Override
  public Timed<List<RoundResult>> round(RoundPlan round, long v, Supplier<float[]> w,
      Supplier<float[]> m) {
    Broadcast<float[]> bw = weights.of(v, w);
    Broadcast<float[]> bm = momentum.of(v, m);
    String steps = "steps " + round.firstStep() + ".." + (round.firstStep() + round.size() - 1);
    jsc.setJobDescription("rdnas " + steps + " (epoch " + round.steps().get(0).epoch() + ")");
    return timed(inWorkerOrder(jsc.parallelize(workerIds, workers)
        .map(new RoundFunction(settings, conf, bw, bm, v, round, workers)).collect(), steps));
  }

  private static <T> Timed<List<T>> timed(List<WorkerResult<T>> byWorker) {
    return new Timed<>(byWorker.stream().map(WorkerResult::value).toList(),
        byWorker.stream().mapToLong(WorkerResult::computeNanos).max().orElse(0));
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

  /** Over at most {@value #EVAL_TASKS_PER_SLOT} tasks per task slot. */
  @Override
  public List<SubnetEvaluator.Result> evaluate(long[] archIds, long v, Supplier<float[]> w) {
    int partitions = Math.max(1, jsc.defaultParallelism()) * EVAL_TASKS_PER_SLOT;
    Broadcast<float[]> b = weights.of(v, w);
    jsc.setJobDescription("rdnas evaluation of " + archIds.length + " archs at step " + v);
    List<Long> ids = Arrays.stream(archIds).boxed().toList();
    return jsc.parallelize(ids, Math.max(1, Math.min(partitions, ids.size())))
        .map(new EvalFunction(settings, conf, b, v)).collect().stream()
        .map(r -> new SubnetEvaluator.Result(r[0], r[1])).toList();
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
