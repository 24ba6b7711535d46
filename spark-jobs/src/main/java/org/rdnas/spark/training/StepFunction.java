package org.rdnas.spark.training;

import java.io.Serial;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.broadcast.Broadcast;
import org.rdnas.spark.ExecutorRuntime;
import org.rdnas.spark.HadoopConfBytes;
import org.rdnas.train.GradientSum;
import org.rdnas.train.GradientWorker;
import org.rdnas.train.StepPlan;

/**
 * One worker's task of a training step: its share of the step plan's micro-batches with the weights
 * of the step's version, over the plan's {@link org.rdnas.train.ParamSlice} (the broadcast holds
 * that slice's values, and the gradient sums cover it alone), as a {@link WorkerResult}. A pure
 * function of (plan, weights version, images), so a retried or relocated task returns exactly the
 * same gradient sums.
 */
final class StepFunction implements Function<Integer, WorkerResult<GradientSum>> {
  @Serial private static final long serialVersionUID = 1L;

  private final TaskSettings settings;
  private final Broadcast<HadoopConfBytes> conf;
  private final Broadcast<float[]> weights;
  private final long version;
  private final StepPlan plan;
  private final int workers;

  StepFunction(TaskSettings settings, Broadcast<HadoopConfBytes> conf,
      Broadcast<float[]> weights, long version, StepPlan plan, int workers) {
    this.settings = settings;
    this.conf = conf;
    this.weights = weights;
    this.version = version;
    this.plan = plan;
    this.workers = workers;
  }

  @Override
  public WorkerResult<GradientSum> call(Integer worker) {
    TaskContext task = TaskContext.get();
    ExecutorRuntime.configureThreads(task);
    GradientWorker gw = settings.model(conf.value().get()).worker();
    float[] w = settings.array("step slice", version, weights);
    long start = System.nanoTime();
    GradientSum sum = gw.computeSlice(settings.manager(), w, plan, worker,
        workers);
    return new WorkerResult<>(worker, sum, System.nanoTime() - start);
  }
}
