package org.rdnas.train;

import java.util.List;
import java.util.function.Supplier;
import org.rdnas.nn.Supernet;

/**
 * Where a {@link TrainingRun}'s steps, rounds and evaluations are computed: in this process
 * ({@link LocalWorkers}) or in Spark tasks. Each method returns the workers' results in worker
 * order, so the run combines them the same way whoever computed them; weights are supplied lazily,
 * so an implementation that already holds a version need not copy it again.
 */
public interface Workers extends AutoCloseable {

  /** The W data-parallel workers' count. */
  int count();

  /** The supernet the workers train. */
  Supernet network();

  /**
   * The gradient sums of each worker for {@code plan} over {@code slice}, from the slice's values
   * of weights version {@code version}.
   */
  Timed<List<GradientSum>> step(StepPlan plan, ParamSlice slice, long version,
      Supplier<float[]> sliceWeights);

  /** Each worker's local-SGD result of {@code round} from weights and momentum {@code version}. */
  Timed<List<RoundResult>> round(RoundPlan round, long version, Supplier<float[]> weights,
      Supplier<float[]> momentum);

  /** The held-out accuracy and loss of each arch (by id) with weights version {@code version}, in order. */
  List<SubnetEvaluator.Result> evaluate(long[] archIds, long version, Supplier<float[]> weights);

  @Override
  void close();

  /**
   * A result and the slowest worker's compute time, which a step's wall time splits into compute
   * and coordination by.
   */
  record Timed<T>(T value, long maxComputeNanos) {}
}
