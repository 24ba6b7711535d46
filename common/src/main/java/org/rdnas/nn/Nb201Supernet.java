package org.rdnas.nn;

import ai.djl.ndarray.NDArray;
import java.util.List;
import java.util.Objects;
import org.rdnas.space.Arch;

/** {@link Nb201Network}, all ops on all edges, as a {@link Supernet} over {@link Arch#id()}s. */
public final class Nb201Supernet implements Supernet {
  private final Nb201Network network;

  public Nb201Supernet(Nb201Network network) {
    this.network = Objects.requireNonNull(network, "network");
  }

  public Nb201Network network() {
    return network;
  }

  @Override
  public List<ParamSpec> parameters() {
    return network.parameters();
  }

  @Override
  public List<ParamSpec> parameters(long archId) {
    return network.parameters(arch(archId));
  }

  @Override
  public boolean reached(long archId, ParamSpec p) {
    return network.reached(arch(archId), p);
  }

  @Override
  public NDArray forward(Weights w, long archId, NDArray x, ForwardOptions o) {
    return network.forward(w, arch(archId), x, o);
  }

  /** Computes the shared stem once ({@link Nb201Network#forwardPair}). */
  @Override
  public NDArray[] forwardPair(Weights w, long a, long b, NDArray x, ForwardOptions o) {
    return network.forwardPair(w, arch(a), arch(b), x, o);
  }

  @Override
  public String code(long archId) {
    return arch(archId).toString();
  }

  @Override
  public int inputSize() {
    return NetworkConfig.IMAGE_SIZE;
  }

  @Override
  public int classes() {
    return network.config().classes();
  }

  private static Arch arch(long id) {
    if (id < 0 || id >= Arch.ID_COUNT) {
      throw new IllegalArgumentException("NAS-Bench-201 arch id " + id + " is not in 0.."
          + (Arch.ID_COUNT - 1));
    }
    return Arch.fromId((int) id);
  }

  @Override
  public String toString() {
    return "Nb201Supernet[" + network.config() + "]";
  }
}
