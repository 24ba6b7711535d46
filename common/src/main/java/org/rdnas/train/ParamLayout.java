package org.rdnas.train;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.rdnas.nn.Nb201Network;
import org.rdnas.nn.ParamSpec;
import org.rdnas.space.Arch;

/** Offsets of the supernet's parameters in the flat weight vector, in {@code parameters()} order. */
final class ParamLayout {
  private final Nb201Network network;
  private final Map<String, Integer> offsets = new LinkedHashMap<>();
  private final int size;

  ParamLayout(Nb201Network network) {
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

  /** The parameters that a forward of any of {@code archs} (nulls skipped) uses. */
  ParamSlice slice(Arch... archs) {
    Set<String> used = new HashSet<>();
    for (Arch a : archs) {
      if (a != null) {
        network.parameters(a).forEach(p -> used.add(p.name()));
      }
    }
    List<ParamSpec> specs = new ArrayList<>();
    for (ParamSpec p : network.parameters()) {
      if (used.contains(p.name())) {
        specs.add(p);
      }
    }
    return new ParamSlice(specs, specs.stream().mapToInt(p -> offsets.get(p.name())).toArray(), size);
  }

  /** The parameters of {@code plan}'s subnet (SPOS) or pair (RD-NAS). */
  ParamSlice slice(StepPlan plan) {
    return slice(plan.a(), plan.b());
  }
}
