package org.rdnas.space;

import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.rdnas.config.SpaceConfig;
import org.rdnas.nn.CellConvention;
import org.rdnas.nn.Nb201Network;
import org.rdnas.nn.Nb201Subnet;
import org.rdnas.nn.Nb201Supernet;
import org.rdnas.nn.Supernet;
import org.rdnas.nn.NetworkConfig;
import org.rdnas.nn.SubnetModel;

/**
 * NAS-Bench-201 ({@link Nb201Space}, any op subset) behind the {@link SearchSpace} plug-in: ids are
 * {@link Arch#id()}, codes the standard arch strings, the distance the RD-NAS authors' group distance,
 * the network the search-cell {@link Nb201Network} of width C and N cells per stage.
 */
public final class Nb201SearchSpace implements SearchSpace {
  /** The margin sampler's default threshold: about the mean group distance (DESIGN.md). */
  public static final double DISTANCE_THRESHOLD = 6.7;

  private final Nb201Space space;
  private final Nb201Network network;

  private Nb201SearchSpace(Nb201Space space, Nb201Network network) {
    this.space = space;
    this.network = network;
  }

  /** {@code space} with networks built as {@code network} (the search-cell convention). */
  public static Nb201SearchSpace of(Nb201Space space, Nb201Network network) {
    return new Nb201SearchSpace(space, network);
  }

  public Nb201Space space() {
    return space;
  }

  public Nb201Network network() {
    return network;
  }

  @Override
  public String name() {
    return space.name();
  }

  @Override
  public long size() {
    return space.size();
  }

  @Override
  public long parse(String code) {
    Arch a = Arch.parse(code);
    if (!space.contains(a)) {
      throw new IllegalArgumentException("arch '" + code + "' is not in search space " + space);
    }
    return a.id();
  }

  @Override
  public String format(long id) {
    return arch(id).toString();
  }

  @Override
  public boolean contains(long id) {
    return id >= 0 && id < Arch.ID_COUNT && space.contains(Arch.fromId(id));
  }

  /** NAS-Bench-201's canonical form: ops that cannot carry signal from input to output become none. */
  @Override
  public long canonical(long id) {
    return Nb201Space.canonical(arch(id)).id();
  }

  @Override
  public LongStream ids() {
    return space.stream().mapToLong(Arch::id);
  }

  @Override
  public long[] sample(int n, long seed) {
    return space.sample(n, seed).stream().mapToLong(Arch::id).toArray();
  }

  @Override
  public long sampleOne(SplittableRandom rng) {
    return space.sampleOne(rng).id();
  }

  @Override
  public double distance(long a, long b) {
    return Nb201Space.groupDistance(arch(a), arch(b));
  }

  @Override
  public double distanceThreshold() {
    return DISTANCE_THRESHOLD;
  }

  @Override
  public SubnetModel subnet(long id) {
    return Nb201Subnet.of(network, arch(id));
  }

  @Override
  public Supernet supernet() {
    return new Nb201Supernet(network);
  }

  private Arch arch(long id) {
    if (!contains(id)) {
      throw new IllegalArgumentException("arch id " + id + " is not in search space " + space);
    }
    return Arch.fromId(id);
  }

  @Override
  public String toString() {
    return space.toString();
  }

  /** Builds {@code nb201} and {@code nb201-no-none} from {@code rdnas.space}. */
  public static final class Provider implements SearchSpace.Provider {
    @Override
    public List<String> names() {
      return List.of("nb201", "nb201-no-none");
    }

    /** NAS-Bench-201's networks are CIFAR-10's: {@code classes} must be 10. */
    @Override
    public SearchSpace create(SpaceConfig c, int classes) {
      if (classes != SearchSpaces.DEFAULT_CLASSES) {
        throw new IllegalArgumentException("rdnas.space.name = " + c.name().configName() + " builds "
            + "NAS-Bench-201's " + SearchSpaces.DEFAULT_CLASSES + "-class CIFAR-10 networks; a "
            + classes + "-class dataset needs rdnas.space.name = resnet48");
      }
      return of(c.space(), Nb201Network.of(
          NetworkConfig.cifar10(c.channels(), c.cells(), CellConvention.SEARCH)));
    }
  }
}
