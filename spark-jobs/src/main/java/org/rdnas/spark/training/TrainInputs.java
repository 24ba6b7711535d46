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
import org.rdnas.nn.Supernet;
import org.rdnas.scoring.Candidates;
import org.rdnas.space.SearchSpace;
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
 * @param space the search space
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
record TrainInputs(RunStore store, TrainData.Spec dataSpec, TrainData data, SearchSpace space,
    Supernet network, Optional<RankingTableReader.Loaded> ranking, Optional<Teacher> teacher,
    StepPlanner planner, EvalArchs eval, Optional<Nb201Table> truth, List<Long> searchCandidates,
    Optional<TrainingState> resumed,
    Optional<String> resumedFrom) {
  private static final Logger LOG = LoggerFactory.getLogger(TrainInputs.class);

  static TrainInputs resolve(SparkSession spark, RdnasConfig config) throws IOException {
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

    SearchSpace space = spaceFor(config, data.train().data().classes());
    Supernet network = space.supernet();
    if (data.train().data().side() != network.inputSize()) {
      throw new InputException("rdnas.data: the images are " + data.train().data().side()
          + " px, the " + space.name() + " supernet takes " + network.inputSize()
          + " px (rdnas.space.resolution); give images of that side or set the resolution to theirs");
    }
    if (config.groundTruth().pathIfSet().isPresent() && !config.space().name().isNb201()) {
      throw new InputException("rdnas.ground-truth.path is NAS-Bench-201's accuracy table; "
          + space.name() + " archs have no ground truth here: leave it unset");
    }
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
            MarginRankingLoss.of(config.distill().margin()), space, network.sandwich() != null);
      } catch (InputException e) {
        throw e.within("ranking table " + tablePath);
      }
    } else if (train.sposSubnets() == TrainConfig.SposSubnets.TABLE) {
      RankingTableReader.Loaded r = ranking.orElseThrow();
      planner = StepPlanner.spos(train, trainSize, microBatch,
          IntStream.range(0, r.table().size()).mapToLong(r.table()::archId).toArray());
    } else {
      planner = StepPlanner.spos(train, trainSize, microBatch, space);
    }

    List<Long> evalArchs = EvalInputs.archs(config.eval(), space, conf);
    Optional<Nb201Table> truth = EvalInputs.groundTruth(config.groundTruth(), conf);
    EvalArchs eval = new EvalArchs(evalArchs, truth.map(tt -> EvalInputs.truthOf(tt,
        config.groundTruth().column(), evalArchs)).orElse(null),
        teacher.map(tt -> tt.scores(evalArchs)).orElse(null), train.evalEvery());
    List<Long> searchCandidates = switch (config.search().candidates()) {
      case NONE -> List.of();
      case TABLE -> ranking.map(r -> IntStream.range(0, r.table().size())
          .mapToObj(r.table()::archId).toList()).orElse(List.of());
      case SPACE -> spaceCandidates(space);
      case FILE -> EvalInputs.archFile(config.search().file(), "rdnas.search.file", space, conf);
      case EVAL -> evalArchs;
    };

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
    return new TrainInputs(store, spec, data, space, network, ranking, teacher, planner, eval,
        truth, searchCandidates, resumed, resumedFrom);
  }

  /** The space for a dataset of {@code classes} classes; a space that cannot have them is refused. */
  private static SearchSpace spaceFor(RdnasConfig config, int classes) {
    try {
      return config.space().searchSpace(classes);
    } catch (IllegalArgumentException e) {
      throw new InputException("rdnas.data: " + e.getMessage(), e);
    }
  }

  /** Every arch of {@code space}, refused for a space too large to rank whole. */
  private static List<Long> spaceCandidates(SearchSpace space) {
    if (space.size() > Candidates.MAX_ALL) {
      throw new InputException("rdnas.search.candidates = space: the " + space.name() + " space "
          + "has " + space.size() + " archs, more than the " + Candidates.MAX_ALL + " a search "
          + "ranks; rank the table's archs (table) or a file of codes (file)");
    }
    return space.ids().boxed().toList();
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
