package org.rdnas.train;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rdnas.config.DistillConfig;
import org.rdnas.config.TrainConfig;
import org.rdnas.nn.CellConvention;
import org.rdnas.nn.Nb201Network;
import org.rdnas.nn.NetworkConfig;
import org.rdnas.space.Nb201SearchSpace;
import org.rdnas.space.SearchSpace;
import org.rdnas.space.Arch;
import org.rdnas.space.Nb201Space;

/** Small configurations, networks and tables shared by the training tests. */
final class Fixtures {
  /** The smallest useful supernet: C = 4, N = 1 (1 cell per stage). */
  static final Nb201Network TINY = Nb201Network.of(new NetworkConfig(4, 1, 3, 10, CellConvention.SEARCH));
  /** NAS-Bench-201, all five ops, over {@link #TINY}. */
  static final SearchSpace NB201 = Nb201SearchSpace.of(Nb201Space.full(), TINY);
  /** The RD-NAS authors' space without none, over {@link #TINY}. */
  static final SearchSpace NO_NONE = Nb201SearchSpace.of(Nb201Space.withoutNone(), TINY);

  private Fixtures() {}

  static TrainConfig train(TrainConfig.Mode mode, int epochs, int batch, double lr, long seed,
      boolean augment) {
    return train(mode, epochs, batch, lr, seed, augment, 1);
  }

  /** As above with K = {@code stepsPerRound} steps per round. */
  static TrainConfig train(TrainConfig.Mode mode, int epochs, int batch, double lr, long seed,
      boolean augment, int stepsPerRound) {
    return new TrainConfig(mode, epochs, batch, 1, 0, false, false, seed, lr, lr / 10, 0.9, 5e-4,
        stepsPerRound, 100, 0, 0, 1, augment, TrainConfig.SposSubnets.SPACE);
  }

  static DistillConfig distill(DistillConfig.Schedule lambda, DistillConfig.Margin margin) {
    return new DistillConfig(List.of("flops"), 6.7, lambda, 2.0, margin);
  }

  /** {@code n} archs of the no-none space with their FLOPs (MACs of the tiny network) and params. */
  static RankingTable table(int n, long seed) {
    List<Arch> archs = Nb201Space.withoutNone().sample(n, seed);
    Map<String, double[]> cols = new LinkedHashMap<>();
    cols.put("flops", archs.stream().mapToDouble(TINY::macs).toArray());
    cols.put("params", archs.stream().mapToDouble(TINY::parameterCount).toArray());
    boolean[] ok = new boolean[n];
    Arrays.fill(ok, true);
    return RankingTable.of(archs, ok, cols);
  }

  static Teacher flopsTeacher(int n, long seed) {
    return Teacher.of(table(n, seed), List.of("flops"));
  }
}
