package org.rdnas.train;

import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;
import org.rdnas.nn.Supernet;

/**
 * {@link Workers} in this process: W gradient-worker shards computed one after the other, the
 * reference the Spark workers must equal and the way to run small experiments without Spark. Its
 * NDArrays live in scopes under the manager it is given, which each computation closes.
 */
public final class LocalWorkers implements Workers {
  private final NDManager manager;
  private final GradientWorker worker;
  private final int workers;
  private final SubnetEvaluator evaluator;
  private final SubnetEvaluator.Recalibration recalibration;

  /**
   * Workers that train only ({@link #evaluate} refuses).
   *
   * @param manager parent of every scope
   * @param worker the gradient worker over the training images
   * @param workers W
   */
  public LocalWorkers(NDManager manager, GradientWorker worker, int workers) {
    this(manager, worker, workers, null, null);
  }

  /**
   * Workers that train and evaluate.
   *
   * @param evaluator the subnet evaluator over the held-out images
   * @param recalibration BN recalibration before each evaluation, or null for batch statistics
   */
  public LocalWorkers(NDManager manager, GradientWorker worker, int workers,
      SubnetEvaluator evaluator, SubnetEvaluator.Recalibration recalibration) {
    this.manager = Objects.requireNonNull(manager, "manager");
    this.worker = Objects.requireNonNull(worker, "worker");
    if (workers < 1) {
      throw new IllegalArgumentException("workers must be >= 1, got " + workers);
    }
    this.workers = workers;
    this.evaluator = evaluator;
    this.recalibration = recalibration;
  }

  @Override
  public int count() {
    return workers;
  }

  @Override
  public Supernet network() {
    return worker.network();
  }

  @Override
  public Timed<List<GradientSum>> step(StepPlan plan, ParamSlice slice, long version,
      Supplier<float[]> sliceWeights) {
    float[] w = sliceWeights.get();
    List<GradientSum> sums = new ArrayList<>();
    long max = 0;
    for (int i = 0; i < workers; i++) {
      long start = System.nanoTime();
      sums.add(worker.computeSlice(manager, w, plan, i, workers));
      max = Math.max(max, System.nanoTime() - start);
    }
    return new Timed<>(sums, max);
  }

  @Override
  public Timed<List<RoundResult>> round(RoundPlan round, long version, Supplier<float[]> weights,
      Supplier<float[]> momentum) {
    float[] w = weights.get();
    float[] m = momentum.get();
    List<RoundResult> results = new ArrayList<>();
    long max = 0;
    for (int i = 0; i < workers; i++) {
      long start = System.nanoTime();
      results.add(LocalSgd.run(manager, worker, w, m, round, i, workers));
      max = Math.max(max, System.nanoTime() - start);
    }
    return new Timed<>(results, max);
  }

  @Override
  public List<SubnetEvaluator.Result> evaluate(long[] archIds, long version,
      Supplier<float[]> weights) {
    if (evaluator == null) {
      throw new IllegalStateException("these workers were made without a subnet evaluator");
    }
    float[] w = weights.get();
    List<SubnetEvaluator.Result> out = new ArrayList<>(archIds.length);
    for (long id : archIds) {
      out.add(evaluator.evaluate(manager, w, id, recalibration));
    }
    return out;
  }

  @Override
  public void close() {
    // The manager belongs to the caller.
  }
}
