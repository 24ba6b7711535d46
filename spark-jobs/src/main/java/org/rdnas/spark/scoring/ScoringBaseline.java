package org.rdnas.spark.scoring;
import ai.djl.ndarray.NDManager;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.hadoop.conf.Configuration;
import org.rdnas.config.RdnasConfig;
import org.rdnas.data.BatchAssembler;
import org.rdnas.proxy.ProxyScorer;
import org.rdnas.scoring.Candidates;
import org.rdnas.scoring.ScoringInputs;
import org.rdnas.scoring.ScoringSettings;
import org.rdnas.spark.ExecutorRuntime;

/**
 * Scores the same candidates as {@link ProxyScoringJob} in one plain JVM, without Spark: the
 * yardstick for the cost of distribution. {@code --threads K} runs K scorers side by side, one
 * PyTorch thread each, as K task slots of one core would. Prints archs per second.
 *
 * <pre>spark-submit --class org.rdnas.spark.scoring.ScoringBaseline proxy-scoring.jar [--threads K] [key=value ...]</pre>
 *
 * (spark-submit only provides the Hadoop classes; no SparkContext is started.)
 */
public final class ScoringBaseline {
  private ScoringBaseline() {}

  public static void main(String[] args) throws Exception {
    int threads = 1;
    List<String> rest = new ArrayList<>(Arrays.asList(args));
    int i = rest.indexOf("--threads");
    if (i >= 0) {
      threads = Integer.parseInt(rest.get(i + 1));
      rest.subList(i, i + 2).clear();
    }
    ExecutorRuntime.configureThreads(null);
    RdnasConfig config = RdnasConfig.load(rest.toArray(new String[0]));
    Configuration conf = new Configuration();
    ScoringSettings settings = ScoringSettings.of(config, config.data().path(),
        ScoringInputs.dataShape(config, conf).classes());
    Candidates candidates = Candidates.resolve(config.candidates(), settings.space(), conf);
    BatchAssembler data = settings.needsData() ? ScoringTask.data(settings, conf) : null;
    long[] ids = candidates.ids();
    AtomicInteger next = new AtomicInteger();
    AtomicInteger failed = new AtomicInteger();
    long t0 = System.nanoTime();
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    List<Future<?>> work = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      work.add(pool.submit(() -> {
        ProxyScorer scorer = settings.scorer(data);
        try (NDManager manager = NDManager.newBaseManager()) {
          for (int k = next.getAndIncrement(); k < ids.length; k = next.getAndIncrement()) {
            if (!ScoringTask.score(settings, scorer, manager, ids[k]).ok()) {
              failed.incrementAndGet();
            }
          }
        }
        return null;
      }));
    }
    for (Future<?> f : work) {
      f.get();
    }
    pool.shutdown();
    double secs = (System.nanoTime() - t0) / 1e9;
    System.out.printf("baseline: %d archs (%d failed) with %d thread(s) in %.1f s: %.3f archs/s%n",
        ids.length, failed.get(), threads, secs, ids.length / secs);
  }
}
