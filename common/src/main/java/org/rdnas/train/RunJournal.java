package org.rdnas.train;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.apache.hadoop.fs.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a run resumable: journals each evaluation's rows as it happens, and at each checkpoint the
 * metrics rows since the previous one, then the checkpoint itself ({@link RunStore}). The journal
 * comes first: a checkpoint implies the metrics of every step before it.
 */
public final class RunJournal implements TrainingListener {
  private static final Logger LOG = LoggerFactory.getLogger(RunJournal.class);

  private final RunStore store;
  private final String configJson;
  private final Runnable beforeWrite;
  private final List<StepRow> pending = new ArrayList<>();

  /**
   * @param store the output folder
   * @param configJson the run's configuration, stored in each checkpoint
   * @param beforeWrite run before each checkpoint (e.g. a check that this run still owns the
   *     folder); throws to stop the run
   */
  public RunJournal(RunStore store, String configJson, Runnable beforeWrite) {
    this.store = Objects.requireNonNull(store, "store");
    this.configJson = Objects.requireNonNull(configJson, "configJson");
    this.beforeWrite = Objects.requireNonNull(beforeWrite, "beforeWrite");
  }

  @Override
  public void onStep(TrainingRun run, StepRow row) {
    pending.add(row);
  }

  @Override
  public void onEvaluation(TrainingRun run, long version, List<EvalRow> rows) throws IOException {
    store.writeJournal(RunStore.EVAL, version, rows);
  }

  @Override
  public void onCheckpoint(TrainingRun run, long version) throws IOException {
    beforeWrite.run();
    store.writeJournal(RunStore.METRICS, version, pending);
    pending.clear();
    Path f = store.writeCheckpoint(run.state().checkpoint(configJson));
    LOG.info("checkpoint {}", f);
  }
}
