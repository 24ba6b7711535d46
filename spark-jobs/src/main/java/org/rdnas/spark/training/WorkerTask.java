package org.rdnas.spark.training;

import java.io.Serial;
import java.util.function.Supplier;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.broadcast.Broadcast;
import org.rdnas.spark.ExecutorRuntime;
import org.rdnas.spark.HadoopConfBytes;
import org.rdnas.train.GradientWorker;

/**
 * One worker's task of a step or a round: sets up the executor (threads, the task's device, the
 * cached gradient worker), times the computation, and returns it as a {@link WorkerResult}. A pure
 * function of (plan, weights version, images), so a retried or relocated task returns exactly the
 * same result.
 */
abstract class WorkerTask<T> implements Function<Integer, WorkerResult<T>> {
  @Serial private static final long serialVersionUID = 1L;

  final TaskSettings settings;
  final long version;
  final int workers;
  private final Broadcast<HadoopConfBytes> conf;

  WorkerTask(TaskSettings settings, Broadcast<HadoopConfBytes> conf, long version, int workers) {
    this.settings = settings;
    this.conf = conf;
    this.version = version;
    this.workers = workers;
  }

  @Override
  public final WorkerResult<T> call(Integer worker) {
    ExecutorRuntime.configureThreads(TaskContext.get());
    Supplier<T> work = prepare(settings.model(conf.value().get()).worker(), worker);
    // Compute time leaves out fetching the weights: that is coordination.
    long start = System.nanoTime();
    T value = work.get();
    return new WorkerResult<>(worker, value, System.nanoTime() - start);
  }

  /**
   * Fetches what worker {@code worker} needs ({@link TaskSettings#array}) and returns its
   * computation with {@code gw}.
   */
  abstract Supplier<T> prepare(GradientWorker gw, int worker);
}
