package org.rdnas.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import ai.djl.ndarray.NDManager;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.spark.TaskContext;
import org.apache.spark.sql.SparkSession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each task runs on the GPU Spark assigned it, in both jobs. Spark's local mode assigns no GPUs
 * (a task that asks for one never starts) and CI has none, so a fake device layer stands in for
 * both: it assigns GPU {@code partition % 2} to each task, as Spark would to two tasks on a
 * two-GPU executor, and hands out CPU managers while recording which device each task chose and
 * which devices managers were made for.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExecutorRuntimeTest {
  private final List<String> choices = new CopyOnWriteArrayList<>();
  private final Set<Device> managers = ConcurrentHashMap.newKeySet();
  private ExecutorRuntime.DeviceLayer engine;
  private LocalSpark local;
  private SparkSession spark;

  @BeforeAll
  void start() {
    local = LocalSpark.startOneThread("ExecutorRuntimeTest");
    spark = local.session();
    engine = ExecutorRuntime.useDeviceLayer(fake);
  }

  /** A fresh start for each test: no choices recorded, no managers made. */
  @BeforeEach
  void reset() {
    ExecutorRuntime.useDeviceLayer(fake);
    choices.clear();
    managers.clear();
  }

  private final ExecutorRuntime.DeviceLayer fake = new ExecutorRuntime.DeviceLayer() {
      @Override
      public Integer assignedGpu(TaskContext task) {
        return task.partitionId() % 2;
      }

      @Override
      public Device choose(String setting, Integer assignedGpu) {
        Device d = Device.gpu(assignedGpu == null ? 0 : assignedGpu);
        TaskContext task = TaskContext.get();
        if (task != null) {
          choices.add(task.stageId() + "/" + task.partitionId() + " -> " + d);
        }
        return d;
      }

      @Override
      public NDManager manager(Device device) {
        managers.add(device);
        return NDManager.newBaseManager(Device.cpu());
      }
    };

  @AfterAll
  void stop() {
    ExecutorRuntime.useDeviceLayer(engine);
    if (local != null) {
      local.close();
    }
  }

  /** Each task's chosen device by partition, checking that every choice is GPU partition % 2. */
  private Map<Integer, Set<String>> checkChoices() {
    assertFalse(choices.isEmpty(), "no task chose a device");
    Map<Integer, Set<String>> byPartition = new TreeMap<>();
    for (String c : choices) {
      int partition = Integer.parseInt(c.substring(c.indexOf('/') + 1, c.indexOf(' ')));
      String device = c.substring(c.indexOf("-> ") + 3);
      assertEquals(Device.gpu(partition % 2).toString(), device, c);
      byPartition.computeIfAbsent(partition, k -> new java.util.TreeSet<>()).add(device);
    }
    assertEquals(Set.of(Device.gpu(0), Device.gpu(1)), managers, "a manager on each GPU");
    return byPartition;
  }

  @Test
  void job2TasksUseTheGpuTheyWereAssigned(@TempDir Path tmp) throws Exception {
    assertEquals(0, DistillTrainJob.execute(spark, "device=gpu", "train.mode=spos",
        "space.channels=4", "space.cells=1", "data.source=synthetic", "data.synthetic-size=64",
        "train.held-out=16", "train.epochs=1", "train.batch-size=16", "train.workers=2",
        "train.micro-batch=8", "train.checkpoint-every=3", "eval.archs=4", "eval.top-k=2",
        "eval.bootstrap=20", "eval.batch-size=16", "output.path=" + tmp.resolve("run")));
    Map<Integer, Set<String>> byPartition = checkChoices();
    // Step tasks are partitions 0 and 1 of W = 2; eval tasks spread over partitions 0..3.
    assertTrue(byPartition.keySet().containsAll(List.of(0, 1)), byPartition.toString());
  }

  @Test
  void job1TasksUseTheGpuTheyWereAssigned(@TempDir Path tmp) throws Exception {
    assertEquals(0, ProxyScoringJob.execute(new String[] {"device=gpu", "space.channels=4",
        "space.cells=1", "proxies=[flops, params, naswot]", "data.source=synthetic",
        "data.synthetic-size=64", "proxy.batch-size=8", "candidates.sample-size=4",
        "scoring.partitions=4", "output.path=" + tmp.resolve("scores")}, () -> spark));
    Map<Integer, Set<String>> byPartition = checkChoices();
    assertEquals(Set.of(0, 1, 2, 3), byPartition.keySet());
  }
}
