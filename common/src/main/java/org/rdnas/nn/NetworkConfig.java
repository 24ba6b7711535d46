package org.rdnas.nn;

/**
 * Shape of a NAS-Bench-201 macro network: width {@code channels} (C), {@code cells} per stage (N),
 * input channels, classes and the cell convention. The benchmark is C=16, N=5, 3 inputs, 10 classes.
 */
public record NetworkConfig(
    int channels, int cells, int inputChannels, int classes, CellConvention convention) {

  /** The side of the square input images the network is measured at (CIFAR-10's 32 px). */
  public static final int IMAGE_SIZE = 32;

  public NetworkConfig {
    positive("channels", channels);
    positive("cells", cells);
    positive("inputChannels", inputChannels);
    positive("classes", classes);
    if (convention == null) {
      throw new IllegalArgumentException("convention must not be null");
    }
  }

  /** The benchmark's CIFAR-10 network in the given convention. */
  public static NetworkConfig cifar10(CellConvention convention) {
    return cifar10(16, 5, convention);
  }

  /** A CIFAR-10 network (3 input channels, 10 classes) of width C and N cells per stage. */
  public static NetworkConfig cifar10(int channels, int cells, CellConvention convention) {
    return new NetworkConfig(channels, cells, 3, 10, convention);
  }

  public NetworkConfig withConvention(CellConvention c) {
    return new NetworkConfig(channels, cells, inputChannels, classes, c);
  }

  private static void positive(String name, int v) {
    if (v < 1) {
      throw new IllegalArgumentException(name + " must be >= 1, got " + v);
    }
  }
}
