package org.rdnas.nn;

/**
 * The two cell conventions of NAS-Bench-201. {@link #BENCHMARK}: the trained stand-alone networks, cell
 * convs without bias and affine BNs (the benchmark's parameter counts). {@link #SEARCH}: the search
 * cells that zero-cost-nas scores and the RD-NAS supernet trains, cell convs with bias and BNs without
 * affine parameters or running statistics. Stem, reduction blocks and head are the same in both.
 */
public enum CellConvention {
  BENCHMARK,
  SEARCH;

  /** Whether a cell conv carries a bias. */
  public boolean cellConvBias() {
    return this == SEARCH;
  }

  /** Whether a cell BN carries a weight and bias. */
  public boolean cellBnAffine() {
    return this == BENCHMARK;
  }
}
