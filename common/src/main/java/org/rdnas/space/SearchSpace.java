package org.rdnas.space;

import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.rdnas.nn.SubnetModel;
import org.rdnas.nn.Supernet;

/**
 * A search space plug-in: everything the jobs need of a space, keyed by stable arch ids (the ranking
 * table's {@code arch_id}) so that one table, sampler and scorer serve every space. Implementations
 * are immutable and thread-safe; {@link SearchSpaces} finds them by the name {@code rdnas.space.name}
 * gives. NAS-Bench-201 is {@link Nb201SearchSpace}, the CVPR 2022 ResNet space {@link ResNet48Space}.
 */
public interface SearchSpace {
  /** The configuration name, e.g. {@code nb201}. */
  String name();

  /** Number of archs in the space. */
  long size();

  /**
   * The id of the arch written {@code code} in the space's own notation.
   *
   * @throws IllegalArgumentException naming the code and what is wrong with it, or that it is not
   *     in this space
   */
  long parse(String code);

  /** The code of the arch {@code id}, which {@link #parse} reads back to {@code id}. */
  String format(long id);

  /** Whether {@code id} names an arch of this space. */
  boolean contains(long id);

  /**
   * The id of the arch that computes the same function as {@code id} (the ranking table's
   * {@code canonical_arch_id}); {@code id} itself in a space without equivalent archs.
   */
  default long canonical(long id) {
    return id;
  }

  /** Every arch id, lazily, in the space's enumeration order. */
  LongStream ids();

  /** {@code n} distinct ids drawn uniformly without replacement, in draw order; seeded. */
  long[] sample(int n, long seed);

  /** One id drawn uniformly with {@code rng}. */
  long sampleOne(SplittableRandom rng);

  /** The distance the margin sampler keeps pairs apart by (NAS-Bench-201: group distance). */
  double distance(long a, long b);

  /** The margin sampler's default threshold on {@link #distance}, from the authors' code. */
  double distanceThreshold();

  /** The stand-alone network of arch {@code id}, as the proxies score it. */
  SubnetModel subnet(long id);

  /** The weight-sharing supernet job 2 trains over this space's archs. */
  Supernet supernet();

  /** Trainable parameters of arch {@code id}'s stand-alone network (the params baseline). */
  default long parameterCount(long id) {
    return subnet(id).parameterCount();
  }

  /** Multiply-accumulates of arch {@code id} for one image (the flops baseline). */
  default long macs(long id) {
    return subnet(id).macs();
  }

  /** Builds the space {@code rdnas.space} describes; registered as a service (see {@link SearchSpaces}). */
  interface Provider {
    /** The names of {@code rdnas.space.name} this provider builds. */
    java.util.List<String> names();

    /**
     * The space named {@code c.name()} with the settings of {@code c}, whose networks classify
     * {@code classes} classes (the dataset's).
     *
     * @throws IllegalArgumentException when the space cannot have {@code classes} classes
     */
    SearchSpace create(org.rdnas.config.SpaceConfig c, int classes);
  }
}
