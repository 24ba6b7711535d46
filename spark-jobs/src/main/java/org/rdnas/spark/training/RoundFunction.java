package org.rdnas.spark.training;

import java.io.Serial;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.broadcast.Broadcast;
import org.rdnas.spark.ExecutorRuntime;
import org.rdnas.spark.HadoopConfBytes;
import org.rdnas.train.GradientWorker;
import org.rdnas.train.LocalSgd;
import org.rdnas.train.RoundPlan;
import org.rdnas.train.RoundResult;

/**
 * One worker's task of a local-SGD round: the round's updates on its share of each step's batch,
 * from the weights and momentum of the round's version ({@link LocalSgd}). A pure function of (round
 * plan, version, images), so a retried or relocated task returns exactly the same result.
 */
final class RoundFunction implements Function<Integer, WorkerResult<RoundResult>> {
  @Serial private static final long serialVersionUID = 1L;

  private final TaskSettings settings;
  private final Broadcast<HadoopConfBytes> conf;
  private final Broadcast<float[]> weights;
  private final Broadcast<float[]> momentum;
  private final long version;
  private final RoundPlan round;
  private final int workers;

  RoundFunction(TaskSettings settings, Broadcast<HadoopConfBytes> conf,
      Broadcast<float[]> weights, Broadcast<float[]> momentum, long version, RoundPlan round,
      int workers) {
    this.settings = settings;
    this.conf = conf;
    this.weights = weights;
    this.momentum = momentum;
    this.version = version;
    this.round = round;
    this.workers = workers;
  }

  @Override
  public WorkerResult<RoundResult> call(Integer worker) {
    TaskContext task = TaskContext.get();
    ExecutorRuntime.configureThreads(task);
    GradientWorker gw = settings.model(conf.value().get()).worker();
    float[] w = settings.array("weights", version, weights);
    float[] m = settings.array("momentum", version, momentum);
    long start = System.nanoTime();
    RoundResult r = LocalSgd.run(settings.manager(), gw, w, m, round, worker,
        workers);
    return new WorkerResult<>(worker, r, System.nanoTime() - start);
  }
}
