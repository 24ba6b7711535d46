package org.rdnas.spark.training;

import java.io.Serial;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.broadcast.Broadcast;
import org.rdnas.spark.ExecutorRuntime;
import org.rdnas.spark.HadoopConfBytes;
import org.rdnas.train.SubnetEvaluator;

/**
 * Top-1 accuracy and mean cross-entropy on the held-out images of one eval arch (by id) with the shared weights of one
 * version: BN on the test batches' statistics, or recalibrated first when the settings ask for it.
 */
final class EvalFunction implements Function<Long, double[]> {
  @Serial private static final long serialVersionUID = 1L;

  private final TaskSettings settings;
  private final Broadcast<HadoopConfBytes> conf;
  private final Broadcast<float[]> weights;
  private final long version;

  EvalFunction(TaskSettings settings, Broadcast<HadoopConfBytes> conf,
      Broadcast<float[]> weights, long version) {
    this.settings = settings;
    this.conf = conf;
    this.weights = weights;
    this.version = version;
  }

  @Override
  public double[] call(Long archId) {
    TaskContext task = TaskContext.get();
    ExecutorRuntime.configureThreads(task);
    Configuration c = conf.value().get();
    SubnetEvaluator evaluator = settings.model(c).evaluator();
    float[] w = settings.array("weights", version, weights);
    SubnetEvaluator.Result r = evaluator.evaluate(settings.manager(), w, archId,
        settings.recalibration(c));
    // Kryo 4 cannot build records: the result travels as {accuracy, loss}.
    return new double[] {r.accuracy(), r.loss()};
  }
}
