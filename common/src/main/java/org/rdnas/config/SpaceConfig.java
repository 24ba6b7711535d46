package org.rdnas.config;

import java.io.Serializable;
import java.util.EnumSet;
import java.util.List;
import org.rdnas.space.Nb201Space;
import org.rdnas.space.Op;

/**
 * The search space and the size of the networks built from it ({@code rdnas.space}).
 *
 * @param name which NAS-Bench-201 space
 * @param ops the candidate operations on every edge, always in NAS-Bench-201's order; null in the
 *     constructor means the space's own list
 * @param channels C, the channels of the first stage
 * @param cells N, cells per stage
 */
public record SpaceConfig(Name name, List<Op> ops, int channels, int cells)
    implements Serializable {
  static final Section<SpaceConfig> SECTION = Section.of(SpaceConfig.class, "rdnas.space",
      Key.choice("name", Name.class),
      Key.optionalList("ops", Op::ofLabel, Op::label),
      Key.integer("channels", Key.atLeast(1)),
      Key.integer("cells", Key.atLeast(1)));

  /** The spaces: NAS-Bench-201 (15,625 archs) and the RD-NAS authors' variant without none. */
  public enum Name implements ConfigEnum {
    NB201(Nb201Space.full()),
    NB201_NO_NONE(Nb201Space.withoutNone());

    private final List<Op> ops;

    Name(Nb201Space space) {
      this.ops = space.ops();
    }

    /** The operations this space allows; {@code rdnas.space.ops} may narrow them. */
    public List<Op> ops() {
      return ops;
    }
  }

  public SpaceConfig {
    Checks c = SECTION.check(name, ops, channels, cells);
    if (name != null) {
      if (ops == null) {
        ops = name.ops();
      } else {
        c.subsetOf("ops", ops.stream().map(o -> o == null ? null : o.label()).toList(),
            name.ops().stream().map(Op::label).toList());
      }
    }
    c.throwIfAny();
    // One canonical order, so [a, b] and [b, a] enumerate the same archs with the same ids.
    ops = List.copyOf(EnumSet.copyOf(ops));
  }

  /** The search space these ops span. */
  public Nb201Space space() {
    return Nb201Space.of(name.configName(), EnumSet.copyOf(ops));
  }

  /** The number of architectures: |ops| to the power of the cell's 6 edges. */
  public long size() {
    return space().size();
  }
}
