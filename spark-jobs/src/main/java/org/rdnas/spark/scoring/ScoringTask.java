package org.rdnas.spark.scoring;
import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDManager;
import java.io.IOException;
import java.io.Serial;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.Path;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.util.LongAccumulator;
import org.rdnas.data.BatchAssembler;
import org.rdnas.data.CorruptDataException;
import org.rdnas.io.InputException;
import org.rdnas.proxy.ProxyScorer;
import org.rdnas.scoring.PartSummary;
import org.rdnas.scoring.RankingTableSchema;
import org.rdnas.scoring.ScoringSettings;
import org.rdnas.proxy.ProxyScore;
import org.rdnas.space.Arch;
import org.rdnas.space.SearchSpace;
import org.rdnas.spark.ExecutorRuntime;
import org.rdnas.spark.HadoopConfBytes;

/**
 * One scoring task: scores its partition's arch ids one at a time, streaming each row into its own
 * part file under the run's parts folder, which it commits (renames into view) only when every
 * arch is written. A committed part survives a crash of the job, so a resumed run skips its archs.
 * One NDManager per task under its device's base manager, closed at the end; every arch's arrays
 * live in a scope closed after it.
 */
public final class ScoringTask implements FlatMapFunction<Iterator<long[]>, PartSummary> {
  @Serial private static final long serialVersionUID = 1L;

  private final ScoringSettings settings;
  private final HadoopConfBytes hadoopConf;
  private final String partsDir;
  private final String runId;
  private final HashMap<String, String> footer;
  private final LongAccumulator scored;
  private final LongAccumulator failed;

  ScoringTask(ScoringSettings settings, HadoopConfBytes hadoopConf, String partsDir, String runId,
      Map<String, String> footer, LongAccumulator scored, LongAccumulator failed) {
    this.settings = settings;
    this.hadoopConf = hadoopConf;
    this.partsDir = partsDir;
    this.runId = runId;
    this.footer = new HashMap<>(footer);
    this.scored = scored;
    this.failed = failed;
  }

  @Override
  public Iterator<PartSummary> call(Iterator<long[]> slices) throws Exception {
    TaskContext tc = TaskContext.get();
    ExecutorRuntime.configureThreads(tc);
    Configuration conf = hadoopConf.get();
    Device device = ExecutorRuntime.taskDevice(settings.device());
    BatchAssembler data = settings.needsData() ? data(settings, conf) : null;
    List<String> proxies = settings.proxies();
    ProxyScorer scorer = settings.scorer(data);
    String name = String.format("part-%s-%05d.parquet", runId, tc.partitionId());
    try (NDManager manager = ExecutorRuntime.manager(device).newSubManager()) {
      String deviceName = ExecutorRuntime.deviceName(device);
      Engine engine = Engine.getInstance();
      String dataset = data == null ? "none (no proxy reads images)"
          : data.data().origin() + ", " + data.data().size() + " images";
      Map<String, String> meta = new HashMap<>(footer);
      meta.put(RankingTableSchema.META_DEVICE, deviceName);
      meta.put(RankingTableSchema.META_PYTORCH, engine.getVersion());
      meta.put(RankingTableSchema.META_DJL, Engine.getDjlVersion());
      meta.put(RankingTableSchema.META_DATASET, dataset);
      long archs = 0;
      long bad = 0;
      String attempt = Long.toString(tc.taskAttemptId());
      try (RankingFileWriter out = RankingFileWriter.open(conf, new Path(partsDir), name, attempt,
          proxies, meta)) {
        while (slices.hasNext()) {
          for (long id : slices.next()) {
            tc.killTaskIfInterrupted();
            RankingRow row = score(settings, scorer, manager, id);
            out.write(row);
            archs++;
            scored.add(1);
            if (!row.ok()) {
              bad++;
              failed.add(1);
            }
          }
        }
        out.commit();
      }
      return List.of(new PartSummary(name, archs, bad, deviceName, engine.getVersion(),
          Engine.getDjlVersion(), dataset)).iterator();
    }
  }

  /** The images of {@code settings}, loaded once per executor JVM. */
  static BatchAssembler data(ScoringSettings settings, Configuration conf) {
    return ExecutorRuntime.shared(ExecutorRuntime.Kind.DATA, settings.dataKey(), () -> {
      try {
        return BatchAssembler.standard(settings.loadData(conf));
      } catch (CorruptDataException e) {
        // An image that does not decode is the user's to fix (the driver only lists the folder).
        throw new InputException("rdnas.data.path: " + e.getMessage(), e);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  /**
   * Arch {@code id}'s row; a failure anywhere in scoring it is a failed row, never a failed task.
   * NAS-Bench-201 archs are scored on the settings' supernet as they always were; other spaces'
   * on their stand-alone subnets, whose FLOPs and params are counted from shapes alone.
   */
  static RankingRow score(ScoringSettings settings, ProxyScorer scorer, NDManager manager, long id) {
    SearchSpace space = settings.space();
    String code = space.format(id);
    long canonical = space.canonical(id);
    try {
      List<ProxyScore> scores = settings.nb201() ? scorer.score(manager, Arch.fromId(id))
          : scorer.score(manager, space.subnet(id));
      return RankingRow.of(id, code, canonical, scores, settings.seed());
    } catch (RuntimeException | OutOfMemoryError e) {
      String why = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
      return RankingRow.failed(id, code, canonical, settings.proxies().size(), why, settings.seed());
    }
  }
}
