package org.rdnas.config;

import java.io.Serializable;
import java.util.List;

/**
 * The ranking-distillation part of an RD-NAS step ({@code rdnas.distill}).
 *
 * @param teacher ranking-table column(s) whose order the supernet learns; several are combined by
 *     mean rank
 * @param threshold the margin sampler redraws b until distance(a, b) >= threshold, in the space's
 *     distance (NAS-Bench-201: group distance, at most 12; resnet48: Hamming distance of the codes)
 * @param lambda the schedule of the ranking loss's weight over epochs
 * @param lambdaMax the schedule's peak weight
 * @param margin m in the margin ranking loss: 0, or scaled from the pair's group distance
 *     ({@code org.rdnas.train.MarginRankingLoss})
 */
public record DistillConfig(List<String> teacher, double threshold, Schedule lambda,
    double lambdaMax, Margin margin) implements Serializable {
  /** The largest group distance on NAS-Bench-201: 6 edges, 2 for ops in different groups. */
  public static final double MAX_GROUP_DISTANCE = 12.0;

  static final Section<DistillConfig> SECTION = Section.of(DistillConfig.class, "rdnas.distill",
      // Which names exist (proxies, aggregates) is checked with rdnas.aggregates in RdnasConfig.
      Key.stringList("teacher", Key.columnNames()),
      // The bound per space is checked with rdnas.space in RdnasConfig.
      Key.number("threshold", Key.finiteAtLeast(0)),
      Key.choice("lambda", Schedule.class),
      Key.number("lambda-max", Key.finiteAtLeast(0)),
      Key.choice("margin", Margin.class));

  /**
   * lambda(e) for epoch e of E: SIN = lambda-max * sin(0.8 pi e / E) (the authors'), CONSTANT =
   * lambda-max, LINEAR = min(lambda-max, e / 10).
   */
  public enum Schedule implements ConfigEnum { SIN, CONSTANT, LINEAR }

  /**
   * The margin ranking loss's m: ZERO as in the authors' code, or scaled from the pair's group
   * distance.
   */
  public enum Margin implements ConfigEnum { ZERO, GROUP_DISTANCE }

  public DistillConfig {
    SECTION.check(teacher, threshold, lambda, lambdaMax, margin).throwIfAny();
    teacher = List.copyOf(teacher);
  }
}
