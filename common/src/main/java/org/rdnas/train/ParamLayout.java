package org.rdnas.train;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.rdnas.nn.Supernet;
import org.rdnas.nn.ParamSpec;

/** Offsets of the supernet's parameters in the flat weight vector, in {@code parameters()} order. */
final class ParamLayout {
  private final Supernet network;
  private final Map<String, Integer> offsets = new LinkedHashMap<>();
  private final int size;

  ParamLayout(Supernet network) {
    this.network = network;
    long off = 0;
    for (ParamSpec p : network.parameters()) {
      offsets.put(p.name(), (int) off);
      off += p.size();
    }
    this.size = Math.toIntExact(off);
  }

  int size() {
    return size;
  }

  /** The parameters that a forward of any of {@code archIds} uses. */
  ParamSlice slice(long... archIds) {
    Set<String> used = new HashSet<>();
    for (long a : archIds) {
      network.parameters(a).forEach(p -> used.add(p.name()));
    }
    List<ParamSpec> specs = new ArrayList<>();
    for (ParamSpec p : network.parameters()) {
      if (used.contains(p.name())) {
        specs.add(p);
      }
    }
    return new ParamSlice(specs, specs.stream().mapToInt(p -> offsets.get(p.name())).toArray(), size);
  }

  /**
   * The parameters of {@code plan}'s subnet (SPOS) or pair (RD-NAS), with the sandwich's largest and
   * smallest subnets where the supernet is trained by that rule.
   */
  ParamSlice slice(StepPlan plan) {
    Supernet.Sandwich s = network.sandwich();
    long[] ids = plan.archIds();
    if (s != null) {
      ids = java.util.stream.LongStream.concat(java.util.stream.LongStream.of(s.largest(),
          s.smallest()), java.util.Arrays.stream(ids)).toArray();
    }
    return slice(ids);
  }
}
