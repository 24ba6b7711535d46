package org.rdnas.config;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The ranking-distillation part of an RD-NAS step ({@code rdnas.distill}).
 *
 * @param teacher ranking-table column(s) whose order the supernet learns; several are combined by
 *     mean rank
 * @param threshold the margin sampler redraws b until GroupDistance(a, b) >= threshold
 * @param lambda the schedule of the ranking loss's weight over epochs
 * @param lambdaMax the schedule's peak weight
 * @param margin m in the margin ranking loss: 0, or scaled from the pair's group distance
 *     ({@code org.rdnas.train.MarginRankingLoss})
 */
public record DistillConfig(List<String> teacher, double threshold, Schedule lambda,
    double lambdaMax, Margin margin) implements Serializable {
  static final String PATH = "rdnas.distill";

  /** The largest group distance on NAS-Bench-201: 6 edges, 2 for ops in different groups. */
  public static final double MAX_GROUP_DISTANCE = 12.0;

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
    Checks c = Checks.section(PATH);
    c.subsetOf("teacher", teacher, org.rdnas.proxy.Proxies.names());
    // Above the largest group distance no pair qualifies and the sampler would never stop.
    c.closed("threshold", threshold, 0, MAX_GROUP_DISTANCE, " (the largest group distance)");
    c.notNull("lambda", lambda);
    c.finiteAtLeast("lambda-max", lambdaMax, 0);
    c.notNull("margin", margin);
    c.throwIfAny();
    teacher = List.copyOf(teacher);
  }

  static DistillConfig read(SectionReader r) {
    return new DistillConfig(r.stringList("teacher"), r.number("threshold"),
        r.choice("lambda", Schedule.class), r.number("lambda-max"),
        r.choice("margin", Margin.class));
  }

  Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("teacher", teacher);
    m.put("threshold", threshold);
    m.put("lambda", lambda.configName());
    m.put("lambda-max", lambdaMax);
    m.put("margin", margin.configName());
    return m;
  }
}
