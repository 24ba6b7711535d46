package org.rdnas.config;

import java.io.Serializable;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The search space and the size of the networks built from it ({@code rdnas.space}).
 *
 * @param name which NAS-Bench-201 space
 * @param ops the candidate operations on every edge, always in NAS-Bench-201's order; null in the
 *     constructor means the space's own list
 * @param channels C, the channels of the first stage
 * @param cells N, cells per stage
 */
public record SpaceConfig(Name name, List<String> ops, int channels, int cells)
    implements Serializable {
  static final String PATH = "rdnas.space";

  /** NAS-Bench-201's operations in its own order (an op's index in arch encodings). */
  public static final List<String> ALL_OPS =
      List.of("none", "skip_connect", "nor_conv_1x1", "nor_conv_3x3", "avg_pool_3x3");

  /** The spaces: NAS-Bench-201 (15,625 archs) and the RD-NAS authors' variant without none. */
  public enum Name implements ConfigEnum {
    NB201(ALL_OPS),
    NB201_NO_NONE(ALL_OPS.subList(1, ALL_OPS.size()));

    private final List<String> ops;

    Name(List<String> ops) {
      this.ops = List.copyOf(ops);
    }

    /** The operations this space allows; {@code rdnas.space.ops} may narrow them. */
    public List<String> ops() {
      return ops;
    }
  }

  public SpaceConfig {
    Checks c = Checks.section(PATH);
    if (c.notNull("name", name)) {
      if (ops == null) {
        ops = name.ops();
      } else {
        c.subsetOf("ops", ops, name.ops());
        // One canonical order, so [a, b] and [b, a] enumerate the same archs with the same ids.
        ops = ops.stream().distinct().sorted(Comparator.comparingInt(ALL_OPS::indexOf)).toList();
      }
    }
    c.atLeast("channels", channels, 1);
    c.atLeast("cells", cells, 1);
    c.throwIfAny();
    ops = List.copyOf(ops);
  }

  /** The number of architectures: |ops| to the power of the cell's 6 edges. */
  public long size() {
    long n = 1;
    for (int e = 0; e < 6; e++) {
      n *= ops.size();
    }
    return n;
  }

  static SpaceConfig read(SectionReader r) {
    return new SpaceConfig(r.choice("name", Name.class), r.stringList("ops"),
        r.integer("channels"), r.integer("cells"));
  }

  Map<String, Object> toMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("name", name.configName());
    m.put("ops", ops);
    m.put("channels", channels);
    m.put("cells", cells);
    return m;
  }
}
