package org.rdnas.nn;

import ai.djl.ndarray.NDArray;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.rdnas.space.ResNet48Arch;
import org.rdnas.space.ResNet48Space;

/**
 * The ResNet48 supernet ({@link ResNet48Network#supernet}) as a {@link Supernet} over
 * {@link ResNet48Space} ids, trained by the sandwich rule as the RD-NAS authors' ResNet code does.
 * A subnet reads the first blocks of each stage and the first channels of each of their tensors, so
 * its parameters are whole supernet tensors of which it uses a corner; the rest of such a tensor gets
 * a zero gradient.
 */
public final class ResNet48Supernet implements Supernet {
  private static final Sandwich SANDWICH =
      new Sandwich(ResNet48Space.id(ResNet48Arch.largest()), ResNet48Space.id(ResNet48Arch.smallest()));

  private final ResNet48Network network;
  private final int side;

  /** The supernet of {@code network} (a supernet, not a stand-alone net) for {@code side} px images. */
  public ResNet48Supernet(ResNet48Network network, int side) {
    this.network = Objects.requireNonNull(network, "network");
    ResNet48Network.checkResolution(side);
    this.side = side;
  }

  public ResNet48Network network() {
    return network;
  }

  @Override
  public List<ParamSpec> parameters() {
    return network.parameters();
  }

  @Override
  public List<ParamSpec> parameters(long archId) {
    Set<String> used = new HashSet<>();
    network.parameters(ResNet48Space.arch(archId)).forEach(p -> used.add(p.name()));
    return network.parameters().stream().filter(p -> used.contains(p.name())).toList();
  }

  /** Every parameter a subnet reads reaches its logits: blocks are chained and all convs used. */
  @Override
  public boolean reached(long archId, ParamSpec p) {
    return parameters(archId).stream().anyMatch(q -> q.name().equals(p.name()));
  }

  @Override
  public NDArray forward(Weights w, long archId, NDArray x, ForwardOptions o) {
    return network.forward(w, ResNet48Space.arch(archId), x, o);
  }

  @Override
  public String code(long archId) {
    return ResNet48Space.arch(archId).toString();
  }

  @Override
  public int inputSize() {
    return side;
  }

  @Override
  public int classes() {
    return network.classes();
  }

  @Override
  public Sandwich sandwich() {
    return SANDWICH;
  }

  @Override
  public String toString() {
    return "ResNet48Supernet[" + side + " px, width " + network.width() + ", " + network.classes()
        + " classes]";
  }
}
