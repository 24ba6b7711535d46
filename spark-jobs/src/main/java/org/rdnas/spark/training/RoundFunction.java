package org.rdnas.spark.training;

import java.io.Serial;
import java.util.function.Supplier;
import org.apache.spark.broadcast.Broadcast;
import org.rdnas.spark.HadoopConfBytes;
import org.rdnas.train.GradientWorker;
import org.rdnas.train.LocalSgd;
import org.rdnas.train.RoundPlan;
import org.rdnas.train.RoundResult;

/**
 * One worker's task of a local-SGD round: the round's updates on its share of each step's batch,
 * from the weights and momentum of the round's version ({@link LocalSgd}).
 */
final class RoundFunction extends WorkerTask<RoundResult> {
  @Serial private static final long serialVersionUID = 1L;

  private final Broadcast<float[]> weights;
  private final Broadcast<float[]> momentum;
  private final RoundPlan round;

  RoundFunction(TaskSettings settings, Broadcast<HadoopConfBytes> conf,
      Broadcast<float[]> weights, Broadcast<float[]> momentum, long version, RoundPlan round,
      int workers) {
    super(settings, conf, version, workers);
    this.weights = weights;
    this.momentum = momentum;
    this.round = round;
  }

  @Override
  Supplier<RoundResult> prepare(GradientWorker gw, int worker) {
    float[] w = settings.array("weights", version, weights);
    float[] m = settings.array("momentum", version, momentum);
    return () -> LocalSgd.run(settings.manager(), gw, w, m, round, worker, workers);
  }
}
