/**
 * Supernet training by RD-NAS (ranking distillation from zero-cost proxies) or SPOS, without Spark:
 * the algorithm the Spark job distributes: one {@link org.rdnas.train.TrainingRun} loop over
 * {@link org.rdnas.train.Workers} (in process: {@link org.rdnas.train.LocalWorkers}; on Spark: the
 * job's own), with {@link org.rdnas.train.TrainingListener}s for journals, checkpoints and progress,
 * and the run's outputs: its {@link org.rdnas.train.RunStore}, {@link org.rdnas.train.TrainingSummary}
 * and {@link org.rdnas.train.Search}.
 *
 * <p>The pieces, in the order a step uses them: a {@link org.rdnas.train.RankingTable} (job 1's
 * output) and a {@link org.rdnas.train.Teacher} (one column or the mean rank of several) feed the
 * {@link org.rdnas.train.MarginPairSampler}; the {@link org.rdnas.train.StepPlanner} turns the run's
 * configuration and a step number into a {@link org.rdnas.train.StepPlan}; each
 * {@link org.rdnas.train.GradientWorker} returns a {@link org.rdnas.train.GradientSum} for its
 * micro-batches, over the {@link org.rdnas.train.ParamSlice} of parameters the step's subnets use;
 * the {@link org.rdnas.train.TrainingState} averages the summed gradients and applies
 * {@link org.rdnas.train.Sgd}, or, in a round of K > 1 steps ({@link org.rdnas.train.RoundPlan}),
 * each worker runs {@link org.rdnas.train.LocalSgd} and the state averages their weights and
 * momentum; a {@link org.rdnas.train.Checkpoint} snapshots it. The
 * {@link org.rdnas.train.SubnetEvaluator} measures subnet accuracy with the shared weights.
 *
 * <p>Decisions, each documented where it is made:
 * <ul>
 *   <li>BN and the ranking loss work per micro-batch: a fixed-size cut of the global batch that does
 *       not depend on the number of workers, so W workers compute what one does (up to float
 *       rounding); one micro-batch of the whole batch is the authors' step exactly
 *       ({@link org.rdnas.train.GradientWorker}).
 *   <li>The ranking loss detaches a's loss in both cases, as the authors' code does; teacher ties count
 *       as "a preferred" as theirs do; the group-distance margin is m = scale * GD / 12, scale 0.1 by
 *       default ({@link org.rdnas.train.MarginRankingLoss}).
 *   <li>Learning rate and lambda change per epoch (cosine annealing stepped per epoch as the authors'
 *       {@code CosineAnnealingLR}); the last incomplete batch of an epoch is dropped
 *       ({@link org.rdnas.train.StepPlanner}).
 *   <li>SGD updates every parameter every step and decays all of them, as the authors' PyTorch 1.x
 *       runs did ({@link org.rdnas.train.Sgd}).
 *   <li>Every random draw is a function of (run seed, step or epoch, purpose), so nothing but weights,
 *       momentum and the step number needs saving.
 * </ul>
 */
package org.rdnas.train;
