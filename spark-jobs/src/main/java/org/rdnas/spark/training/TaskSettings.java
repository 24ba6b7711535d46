package org.rdnas.spark.training;

import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.Serial;
import java.io.Serializable;
import java.io.UncheckedIOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.broadcast.Broadcast;
import org.rdnas.config.RdnasConfig;
import org.rdnas.config.SpaceConfig;
import org.rdnas.nn.Supernet;
import org.rdnas.spark.ExecutorRuntime;
import org.rdnas.spark.ExecutorRuntime.Kind;
import org.rdnas.train.GradientWorker;
import org.rdnas.train.SubnetEvaluator;
import org.rdnas.train.TrainData;

/**
 * What every task of a job-2 run needs besides its step plan and weights; small, rides in
 * closures, and the key of what executors keep between tasks ({@link ExecutorRuntime#shared}):
 * the images, the gradient worker and subnet evaluator over them, and the latest weights.
 *
 * @param runId this driver's run (a resumed run has a new one), part of the weights' key
 * @param data the images
 * @param space the search space, whose plug-in builds the supernet
 * @param classes the images' classes, which the supernet scores
 * @param device where tensors live (each task's own GPU when Spark assigns one)
 * @param evalBatch images per forward pass in evaluation
 * @param recalibration BN recalibration before evaluation (null: BN on batch statistics)
 */
record TaskSettings(String runId, TrainData.Spec data, SpaceConfig space, int classes,
    RdnasConfig.Device device, int evalBatch, Recalibration recalibration)
    implements Serializable {
  @Serial private static final long serialVersionUID = 1L;

  /** BN recalibration: {@code batches} training batches of {@code batchSize}, drawn by {@code seed}. */
  record Recalibration(int batches, int batchSize, long seed) implements Serializable {
    @Serial private static final long serialVersionUID = 1L;
  }

  /** The gradient worker and subnet evaluator of one supernet over one run's images. */
  record Model(GradientWorker worker, SubnetEvaluator evaluator) {}

  Supernet network() {
    return space.searchSpace(classes).supernet();
  }

  /** The running task's manager: on its device (the GPU Spark assigned it, if any). */
  NDManager manager() {
    return ExecutorRuntime.manager(ExecutorRuntime.taskDevice(device));
  }

  /** The images of {@code spec}, loaded once per JVM. */
  static TrainData images(TrainData.Spec spec, Configuration conf) {
    return ExecutorRuntime.shared(Kind.DATA, spec, () -> {
      try {
        return spec.load(conf);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  /** The supernet's worker and evaluator over this run's images, built once per JVM. */
  Model model(Configuration conf) {
    // Without the run id: a resumed run on the same executors reuses them.
    TaskSettings key = new TaskSettings("", data, space, classes, device, evalBatch,
        recalibration);
    return ExecutorRuntime.shared(Kind.MODEL, key, () -> {
      TrainData d = images(data, conf);
      Supernet net = network();
      return new Model(new GradientWorker(net, d.train()),
          new SubnetEvaluator(net, d.heldOut(), evalBatch));
    });
  }

  /** The recalibration over this run's training images, or null for batch statistics. */
  SubnetEvaluator.Recalibration recalibration(Configuration conf) {
    return recalibration == null ? null : new SubnetEvaluator.Recalibration(
        images(data, conf).train(), recalibration.batches(), recalibration.batchSize(),
        recalibration.seed());
  }

  /**
   * The {@code what} array (weights, a step's slice of them, momentum) of version
   * {@code version}: this JVM's copy, or the broadcast's value, kept for the next tasks.
   */
  float[] array(String what, long version, Broadcast<float[]> b) {
    return ExecutorRuntime.shared(Kind.WEIGHTS, runId + "@" + version + " " + what, b::value);
  }
}
