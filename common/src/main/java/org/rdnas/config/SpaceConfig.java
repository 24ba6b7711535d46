package org.rdnas.config;

import java.io.Serializable;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
  static final String PATH = "rdnas.space";

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
    Checks c = Checks.section(PATH);
    if (c.notNull("name", name)) {
      if (ops == null) {
        ops = name.ops();
      } else {
        c.subsetOf("ops", ops.stream().map(o -> o == null ? null : o.label()).toList(),
            name.ops().stream().map(Op::label).toList());
      }
    }
    c.atLeast("channels", channels, 1);
    c.atLeast("cells", cells, 1);
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

  static SpaceConfig read(SectionReader r) {
    return new SpaceConfig(r.choice("name", Name.class), r.parsedList("ops", Op::ofLabel),
        r.integer("channels"), r.integer("cells"));
  }

  Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", name.configName());
    m.put("ops", ops.stream().map(Op::label).toList());
    m.put("channels", channels);
    m.put("cells", cells);
    return m;
  }
}
