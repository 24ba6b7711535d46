package org.rdnas.config;

import java.io.Serializable;
import java.util.EnumSet;
import java.util.List;
import org.rdnas.space.Nb201Space;
import org.rdnas.space.Op;
import org.rdnas.space.SearchSpace;
import org.rdnas.space.SearchSpaces;

/**
 * The search space and the size of the networks built from it ({@code rdnas.space}).
 *
 * @param name which space
 * @param ops NAS-Bench-201 only: the candidate operations on every edge, always in NAS-Bench-201's
 *     order; null in the constructor means the space's own list (empty for a space without ops)
 * @param channels NAS-Bench-201 only: C, the channels of the first stage
 * @param cells NAS-Bench-201 only: N, cells per stage
 * @param resolution side in pixels of the images the networks see: 32 for NAS-Bench-201 (CIFAR-10);
 *     for resnet48 any whole multiple of 32 (its total stride), 224 in the challenge
 * @param width resnet48 only: the multiplier of the challenge's base widths (64, 128, 256, 512), in
 *     (0, 1]; 1 is the challenge's network, a smaller one a network a CPU can train
 */
public record SpaceConfig(Name name, List<Op> ops, int channels, int cells, int resolution,
    double width) implements Serializable {
  static final Section<SpaceConfig> SECTION = Section.of(SpaceConfig.class, "rdnas.space",
      Key.choice("name", Name.class),
      Key.optionalList("ops", Op::ofLabel, Op::label),
      Key.integer("channels", Key.atLeast(1)),
      Key.integer("cells", Key.atLeast(1)),
      Key.integer("resolution", Key.atLeast(32)),
      Key.number("width", Key.positive(), Key.closed(0, 1, " (a share of the challenge's widths)")));

  /** The side of NAS-Bench-201's images (CIFAR-10). */
  public static final int NB201_RESOLUTION = 32;

  /**
   * The spaces: NAS-Bench-201 (15,625 archs), the RD-NAS authors' variant without none, and the
   * ResNet-based space of the CVPR 2022 NAS challenge, Track 1 ({@link org.rdnas.space.ResNet48Space}).
   */
  public enum Name implements ConfigEnum {
    NB201(Nb201Space.full().ops()),
    NB201_NO_NONE(Nb201Space.withoutNone().ops()),
    RESNET48(List.of());

    private final List<Op> ops;

    Name(List<Op> ops) {
      this.ops = ops;
    }

    /** The operations this space allows; {@code rdnas.space.ops} may narrow them. */
    public List<Op> ops() {
      return ops;
    }

    /** Whether this is a NAS-Bench-201 cell space. */
    public boolean isNb201() {
      return this != RESNET48;
    }
  }

  /** A NAS-Bench-201 space at its 32 px. */
  public SpaceConfig(Name name, List<Op> ops, int channels, int cells) {
    this(name, ops, channels, cells, NB201_RESOLUTION);
  }

  /** A space at the challenge's widths. */
  public SpaceConfig(Name name, List<Op> ops, int channels, int cells, int resolution) {
    this(name, ops, channels, cells, resolution, 1);
  }

  public SpaceConfig {
    if (name != null && !name.isNb201() && ops != null && ops.isEmpty()) {
      ops = null; // a space without ops holds [], which a deserialised record passes back here
    }
    Checks c = SECTION.check(name, ops, channels, cells, resolution, width);
    if (name != null) {
      if (ops == null) {
        ops = name.ops();
      } else if (!name.isNb201() && !ops.isEmpty()) {
        c.fail("ops", "must be null for " + c.key("name") + " = " + name.configName()
            + ", whose archs have no cell ops");
      } else {
        c.subsetOf("ops", ops.stream().map(o -> o == null ? null : o.label()).toList(),
            name.ops().stream().map(Op::label).toList());
      }
      if (name.isNb201() && width != 1 && c.passed("width")) {
        c.fail("width", "must be 1 for " + c.key("name") + " = " + name.configName()
            + " (its width is " + c.key("channels") + "), got " + width);
      }
      if (name.isNb201() && resolution != NB201_RESOLUTION) {
        c.fail("resolution", "must be " + NB201_RESOLUTION + " for " + c.key("name") + " = "
            + name.configName() + " (its networks and CIFAR-10 are 32 px), got " + resolution);
      } else if (resolution % 32 != 0) {
        c.fail("resolution", "must be a whole multiple of 32 (the network's total stride, and "
            + "the 32 px images are enlarged by a whole factor), got " + resolution);
      }
    }
    c.throwIfAny();
    // One canonical order, so [a, b] and [b, a] enumerate the same archs with the same ids.
    ops = ops.isEmpty() ? List.of() : List.copyOf(EnumSet.copyOf(ops));
  }

  /** The NAS-Bench-201 space these ops span; an error for another space. */
  public Nb201Space space() {
    if (!name.isNb201()) {
      throw new IllegalStateException("rdnas.space.name = " + name.configName()
          + " is not a NAS-Bench-201 space");
    }
    return Nb201Space.of(name.configName(), EnumSet.copyOf(ops));
  }

  /** The space plug-in these settings build ({@link SearchSpaces}), for CIFAR-10's 10 classes. */
  public SearchSpace searchSpace() {
    return SearchSpaces.create(this);
  }

  /** The space plug-in these settings build for a dataset of {@code classes} classes. */
  public SearchSpace searchSpace(int classes) {
    return SearchSpaces.create(this, classes);
  }

  /** The number of architectures. */
  public long size() {
    return name.isNb201() ? space().size() : searchSpace().size();
  }
}
