package org.rdnas.spark.training;

import java.io.Serial;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.broadcast.Broadcast;
import org.rdnas.space.Arch;
import org.rdnas.spark.HadoopConfBytes;
import org.rdnas.train.SubnetEvaluator;

/**
 * Top-1 accuracy on the held-out images of one eval arch (by id) with the shared weights of one
 * version: BN on the test batches' statistics, or recalibrated first when the settings ask for it.
 */
final class EvalFunction implements Function<Integer, Double> {
  @Serial private static final long serialVersionUID = 1L;

  private final WorkerRuntime.Settings settings;
  private final Broadcast<HadoopConfBytes> conf;
  private final Broadcast<float[]> weights;
  private final long version;

  EvalFunction(WorkerRuntime.Settings settings, Broadcast<HadoopConfBytes> conf,
      Broadcast<float[]> weights, long version) {
    this.settings = settings;
    this.conf = conf;
    this.weights = weights;
    this.version = version;
  }

  @Override
  public Double call(Integer archId) {
    TaskContext task = TaskContext.get();
    WorkerRuntime.configureThreads(task == null ? 1 : task.cpus());
    SubnetEvaluator evaluator = WorkerRuntime.evaluator(settings, conf.value().get());
    float[] w = WorkerRuntime.weights(settings.runId(), version, weights);
    SubnetEvaluator.Recalibration recal = null;
    WorkerRuntime.Recalibration r = settings.recalibration();
    if (r != null) {
      recal = new SubnetEvaluator.Recalibration(
          WorkerRuntime.data(settings, conf.value().get()).train(), r.batches(), r.batchSize(),
          r.seed());
    }
    return evaluator.accuracy(WorkerRuntime.manager(settings.device()), w, Arch.fromId(archId),
        recal);
  }
}
