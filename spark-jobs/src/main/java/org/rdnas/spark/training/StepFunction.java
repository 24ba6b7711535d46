package org.rdnas.spark.training;

import java.io.Serial;
import java.util.function.Supplier;
import org.apache.spark.broadcast.Broadcast;
import org.rdnas.spark.HadoopConfBytes;
import org.rdnas.train.GradientSum;
import org.rdnas.train.GradientWorker;
import org.rdnas.train.StepPlan;

/**
 * One worker's task of a training step: its share of the step plan's micro-batches with the weights
 * of the step's version, over the plan's {@link org.rdnas.train.ParamSlice} (the broadcast holds
 * that slice's values, and the gradient sums cover it alone).
 */
final class StepFunction extends WorkerTask<GradientSum> {
  @Serial private static final long serialVersionUID = 1L;

  private final Broadcast<float[]> weights;
  private final StepPlan plan;

  StepFunction(TaskSettings settings, Broadcast<HadoopConfBytes> conf,
      Broadcast<float[]> weights, long version, StepPlan plan, int workers) {
    super(settings, conf, version, workers);
    this.weights = weights;
    this.plan = plan;
  }

  @Override
  Supplier<GradientSum> prepare(GradientWorker gw, int worker) {
    float[] w = settings.array("step slice", version, weights);
    return () -> gw.computeSlice(settings.manager(), w, plan, worker, workers);
  }
}
