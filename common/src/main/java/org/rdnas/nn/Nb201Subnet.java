package org.rdnas.nn;

import ai.djl.ndarray.NDArray;
import java.util.List;
import org.rdnas.space.Arch;

/**
 * A NAS-Bench-201 arch as a {@link SubnetModel}: the search-cell network restricted to the arch,
 * counted (params, FLOPs) in the benchmark's convention, exactly as the proxies always counted it.
 */
public final class Nb201Subnet implements SubnetModel {
  private final Nb201Network network;
  private final Arch arch;

  private Nb201Subnet(Nb201Network network, Arch arch) {
    this.network = network;
    this.arch = arch;
  }

  /** {@code arch} in {@code network} (the search-cell convention, as proxies score it). */
  public static Nb201Subnet of(Nb201Network network, Arch arch) {
    return new Nb201Subnet(network, arch);
  }

  public Nb201Network network() {
    return network;
  }

  public Arch arch() {
    return arch;
  }

  /** The same network in the benchmark's convention, which the flops and params baselines count. */
  public Nb201Network benchmarkNetwork() {
    return Nb201Network.of(network.config().withConvention(CellConvention.BENCHMARK));
  }

  @Override
  public long archId() {
    return arch.id();
  }

  @Override
  public List<ParamSpec> parameters() {
    return network.parameters(arch);
  }

  @Override
  public ParamSpec parameter(String name) {
    return network.parameter(name);
  }

  @Override
  public boolean reached(String name) {
    return network.reached(arch, network.parameter(name));
  }

  @Override
  public int inputChannels() {
    return network.config().inputChannels();
  }

  @Override
  public int inputSize() {
    return NetworkConfig.IMAGE_SIZE;
  }

  @Override
  public NDArray forward(Weights w, NDArray x, ForwardOptions o) {
    return network.forward(w, arch, x, o);
  }

  @Override
  public NDArray features(Weights w, NDArray x, ForwardOptions o) {
    return network.features(w, arch, x, o);
  }

  @Override
  public long parameterCount() {
    return benchmarkNetwork().parameterCount(arch);
  }

  @Override
  public long macs() {
    return benchmarkNetwork().macs(arch);
  }
}
