package org.rdnas.train;

/**
 * One row of {@code <output>/eval}: one eval arch in one evaluation round.
 *
 * @param round the evaluation round (0-based, in step order)
 * @param step steps trained before this round (the weights version evaluated)
 * @param epoch epochs completed
 * @param archId the arch's id
 * @param arch the arch string
 * @param accuracy top-1 accuracy (0..1) on the held-out images with the shared weights
 * @param loss mean cross-entropy on the held-out images (null in journals written before it was
 *     recorded)
 * @param groundTruth the ground-truth column's value, null without ground truth or for an arch the
 *     table lacks
 * @param teacherScore the teacher's score (higher is better), null when the ranking table has no
 *     eligible row for the arch
 */
public record EvalRow(int round, long step, int epoch, long archId, String arch, double accuracy,
    Double loss, Double groundTruth, Double teacherScore) {}
