package org.rdnas.spark.training;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.apache.hadoop.conf.Configuration;
import org.apache.spark.sql.SparkSession;
import org.rdnas.benchmark.Nb201Table;
import org.rdnas.config.RdnasConfig;
import org.rdnas.config.TrainConfig;
import org.rdnas.io.InputException;
import org.rdnas.nn.CellConvention;
import org.rdnas.nn.Nb201Network;
import org.rdnas.nn.NetworkConfig;
import org.rdnas.space.Arch;
import org.rdnas.space.Nb201Space;
import org.rdnas.train.EvalArchs;
import org.rdnas.train.EvalInputs;
import org.rdnas.train.MarginRankingLoss;
import org.rdnas.train.RunStore;
import org.rdnas.train.StepPlanner;
import org.rdnas.train.Teacher;
import org.rdnas.train.TrainData;
import org.rdnas.train.TrainingState;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything job 2 reads before it trains, resolved and checked in one place: the output folder
 * (refused when it holds another run and resume is off), the images, the ranking table and its
 * teacher, the step planner, the eval archs, the ground truth and the checkpoint to resume from.
 * Any problem is a {@link InputException} naming the input, raised before anything is written.
 *
 * @param store the output folder
 * @param dataSpec what decides the images
 * @param data the training and held-out images (the driver's copy)
 * @param network the supernet
 * @param ranking the ranking table; empty in SPOS mode when there is none
 * @param teacher the teacher over it; empty when there is no table or it lacks the teacher columns
 * @param planner the step schedule
 * @param eval the archs every evaluation round measures, with their ground truth and teacher scores
 * @param truth the ground-truth table, if configured
 * @param searchCandidates the archs the trained supernet ranks at the end (none: no search)
 * @param resumed the state to continue from, or empty for a new run
 * @param resumedFrom the checkpoint file {@code resumed} was read from
 */
record TrainInputs(RunStore store, TrainData.Spec dataSpec, TrainData data, Nb201Network network,
    Optional<RankingTableReader.Loaded> ranking, Optional<Teacher> teacher, StepPlanner planner,
    EvalArchs eval, Optional<Nb201Table> truth, List<Arch> searchCandidates,
    Optional<TrainingState> resumed,
    Optional<String> resumedFrom) {
  private static final Logger LOG = LoggerFactory.getLogger(TrainInputs.class);

  static TrainInputs resolve(SparkSession spark, RdnasConfig config) throws IOException {
    if (!config.space().name().isNb201()) {
      throw new InputException("rdnas.space.name = " + config.space().name().configName()
          + ": job 2 trains NAS-Bench-201 supernets only so far; job 1 scores this space");
    }
    TrainConfig train = config.train();
    Configuration conf = spark.sparkContext().hadoopConfiguration();
    RunStore store = RunStore.at(config.output().path(), conf);
    List<String> existing = store.existingRun();
    if (!train.resume() && !existing.isEmpty()) {
      throw new InputException("rdnas.output.path " + store.root() + " already holds a "
          + "training run (" + String.join(", ", existing) + "); set rdnas.train.resume=true to "
          + "continue it, or choose another rdnas.output.path");
    }

    TrainData.Spec spec = qualify(TrainData.Spec.of(config), conf);
    TrainData data = loadData(spec, config, conf);
    LOG.info("data: {}", data.description());
    if (data.train().data().size() < train.batchSize()) {
      throw new InputException("rdnas.data: " + data.train().data().size()
          + " training images are fewer than one batch (rdnas.train.batch-size = "
          + train.batchSize() + ")");
    }

    Nb201Space space = config.space().space();
    String tablePath = config.rankingPath();
    List<String> teacherColumns = config.distill().teacher();
    Optional<RankingTableReader.Loaded> ranking;
    Optional<Teacher> teacher;
    if (train.mode() == TrainConfig.Mode.RDNAS) {
      ranking = Optional.of(RankingTableReader.read(spark, tablePath, space, teacherColumns));
      try {
        teacher = Optional.of(Teacher.of(ranking.get().table(), teacherColumns));
      } catch (InputException e) {
        throw e.within("ranking table " + tablePath);
      }
    } else {
      // SPOS trains without the table unless it draws its subnets from it; when there is one, eval
      // rows carry its teacher scores.
      boolean needed = train.sposSubnets() == TrainConfig.SposSubnets.TABLE;
      ranking = Optional.empty();
      teacher = Optional.empty();
      if (needed || RankingTableReader.exists(spark, tablePath)) {
        try {
          ranking = Optional.of(RankingTableReader.read(spark, tablePath, space, List.of()));
          if (ranking.get().table().columnNames().containsAll(teacherColumns)) {
            teacher = Optional.of(Teacher.of(ranking.get().table(), teacherColumns));
          }
        } catch (InputException e) {
          if (needed) {
            throw e.within("ranking table " + tablePath + " (rdnas.train.spos-subnets = table)");
          }
          LOG.warn("SPOS mode: ranking table not used for teacher scores: {}", e.getMessage());
          ranking = Optional.empty();
          teacher = Optional.empty();
        }
      }
    }
    if (ranking.isPresent()) {
      RankingTableReader.Loaded r = ranking.get();
      LOG.info("ranking table {}: {} rows, {} in the search space{}", r.path(), r.rows(),
          r.table().size(), teacher.isPresent() ? ", " + teacher.get() : "");
    }

    int trainSize = data.train().data().size();
    int microBatch = train.effectiveMicroBatch();
    StepPlanner planner;
    if (train.mode() == TrainConfig.Mode.RDNAS) {
      try {
        planner = StepPlanner.rdnas(train, trainSize, microBatch, config.distill(), teacher.get(),
            MarginRankingLoss.of(config.distill().margin()));
      } catch (InputException e) {
        throw e.within("ranking table " + tablePath);
      }
    } else if (train.sposSubnets() == TrainConfig.SposSubnets.TABLE) {
      RankingTableReader.Loaded r = ranking.orElseThrow();
      planner = StepPlanner.spos(train, trainSize, microBatch,
          IntStream.range(0, r.table().size()).mapToObj(r.table()::arch).toList());
    } else {
      planner = StepPlanner.spos(train, trainSize, microBatch, space);
    }

    List<Arch> evalArchs = EvalInputs.archs(config.eval(), space, conf);
    Optional<Nb201Table> truth = EvalInputs.groundTruth(config.groundTruth(), conf);
    EvalArchs eval = new EvalArchs(evalArchs, truth.map(tt -> EvalInputs.truthOf(tt,
        config.groundTruth().column(), evalArchs)).orElse(null),
        teacher.map(tt -> tt.scores(evalArchs)).orElse(null), train.evalEvery());
    List<Arch> searchCandidates = switch (config.search().candidates()) {
      case NONE -> List.of();
      case TABLE -> ranking.map(r -> IntStream.range(0, r.table().size())
          .mapToObj(r.table()::arch).toList()).orElse(List.of());
      case SPACE -> space.stream().toList();
      case FILE -> EvalInputs.archFile(config.search().file(), "rdnas.search.file", space, conf);
      case EVAL -> evalArchs;
    };
    Nb201Network network = Nb201Network.of(NetworkConfig.cifar10(config.space().channels(), config.space().cells(), CellConvention.SEARCH));

    Optional<TrainingState> resumed = Optional.empty();
    Optional<String> resumedFrom = Optional.empty();
    if (train.resume()) {
      RunStore.Scan scan = store.latestComplete();
      Optional<RunStore.Found> found = scan.newest();
      List<String> unreadable = scan.unreadable();
      if (found.isPresent()) {
        unreadable.forEach(s -> LOG.warn("unreadable checkpoint {}; it moves into {}/", s,
            RunStore.SET_ASIDE));
        try {
          resumed = Optional.of(TrainingState.resume(found.get().checkpoint(), network, planner));
        } catch (InputException e) {
          throw new InputException(found.get().file() + ": " + e.getMessage()
              + "; resume with the settings it was written with, or choose another "
              + "rdnas.output.path", e);
        }
        resumedFrom = Optional.of(found.get().file().toString());
        LOG.info("resuming from {} (step {})", found.get().file(), resumed.get().step());
      } else if (!unreadable.isEmpty()) {
        if (!train.freshStartIfUnreadable()) {
          throw new InputException("rdnas.train.resume = true but none of the "
              + unreadable.size() + " checkpoint(s) under " + store.checkpointDir()
              + " can be read; nothing was changed:\n  " + String.join("\n  ", unreadable)
              + "\nFix or restore them (a storage problem?) and resume, or set "
              + "rdnas.train.fresh-start-if-unreadable=true to move them into "
              + RunStore.SET_ASIDE + "/ and start at step 0");
        }
        LOG.warn("no checkpoint under {} can be read ({}); rdnas.train.fresh-start-if-unreadable "
            + "= true: they move into {}/ and training starts at step 0", store.checkpointDir(),
            String.join("; ", unreadable), RunStore.SET_ASIDE);
      } else {
        LOG.info("rdnas.train.resume = true but {} holds no checkpoint: starting at step 0",
            store.checkpointDir());
      }
    }
    return new TrainInputs(store, spec, data, network, ranking, teacher, planner, eval, truth,
        searchCandidates, resumed, resumedFrom);
  }

  private static TrainData.Spec qualify(TrainData.Spec spec, Configuration conf) {
    try {
      return spec.qualified(conf);
    } catch (IOException e) {
      throw new InputException("rdnas.data.path " + spec.path() + ": " + e.getMessage(), e);
    }
  }

  private static TrainData loadData(TrainData.Spec spec, RdnasConfig config, Configuration conf) {
    String what = config.data().source().configName()
        + (config.data().path().isBlank() ? "" : " data at " + config.data().path());
    try {
      return TaskSettings.images(spec, conf);
    } catch (UncheckedIOException e) {
      throw new InputException("rdnas.data: cannot read " + what + ": "
          + e.getCause().getMessage(), e);
    } catch (InputException e) {
      throw e.within("rdnas.data (" + what + ")");
    }
  }
}
