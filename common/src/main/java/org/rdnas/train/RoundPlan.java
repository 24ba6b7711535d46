package org.rdnas.train;

import java.io.Serializable;
import java.util.List;
import java.util.Objects;

/**
 * One round: the plans of consecutive steps that one Spark job runs, with each step's learning rate
 * and the SGD settings, so that a worker can apply the updates itself. A round of one step is a plain
 * synchronous step (workers return gradients, the driver averages them); a longer one is local SGD
 * ({@link LocalSgd}).
 *
 * @param steps the plans, consecutive steps
 * @param lrs the learning rate of each step
 * @param momentum SGD momentum
 * @param weightDecay SGD weight decay
 */
public record RoundPlan(List<StepPlan> steps, double[] lrs, double momentum, double weightDecay)
    implements Serializable {

  public RoundPlan {
    steps = List.copyOf(Objects.requireNonNull(steps, "steps"));
    if (steps.isEmpty() || lrs.length != steps.size()) {
      throw new IllegalArgumentException("a round needs one learning rate per step, got "
          + steps.size() + " steps and " + lrs.length + " rates");
    }
    for (int j = 1; j < steps.size(); j++) {
      if (steps.get(j).step() != steps.get(0).step() + j) {
        throw new IllegalArgumentException("the steps of a round must be consecutive: " + steps);
      }
    }
    lrs = lrs.clone();
  }

  @Override
  public double[] lrs() {
    return lrs.clone();
  }

  /** The learning rate of the round's step {@code j} (0-based within the round). */
  public double lr(int j) {
    return lrs[j];
  }

  /** Steps in the round. */
  public int size() {
    return steps.size();
  }

  /** The round's first step. */
  public long firstStep() {
    return steps.get(0).step();
  }

  /** Whether workers apply the updates themselves (local SGD): rounds of more than one step. */
  public boolean local() {
    return steps.size() > 1;
  }
}
