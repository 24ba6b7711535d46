package org.rdnas.nn;

/**
 * How one forward pass runs: BN on batch statistics (the default, train mode as every proxy and the
 * RD-NAS supernet use it), or tracking / using running statistics; optionally synflow's BN-free variant;
 * optionally an observer. Immutable; the {@code opt*} methods return a modified copy.
 */
public final class ForwardOptions {
  private static final ForwardOptions TRAIN = new ForwardOptions(false, null, null, ForwardObserver.NONE);

  private final boolean synflow;
  private final BnStats stats;
  private final BnStats.Mode statsMode;
  private final ForwardObserver observer;

  private ForwardOptions(boolean synflow, BnStats stats, BnStats.Mode mode, ForwardObserver observer) {
    this.synflow = synflow;
    this.stats = stats;
    this.statsMode = mode;
    this.observer = observer;
  }

  /** Train mode: every BN normalises with the batch's mean and biased variance. */
  public static ForwardOptions train() {
    return TRAIN;
  }

  /** Drops the BNs of stem, cells and head (reduction BNs stay), as synflow's reference does. */
  public ForwardOptions optSynflow(boolean on) {
    return new ForwardOptions(on, stats, statsMode, observer);
  }

  /** Tracks running statistics into {@code s} or normalises with them. */
  public ForwardOptions optBnStats(BnStats s, BnStats.Mode mode) {
    if ((s == null) != (mode == null)) {
      throw new IllegalArgumentException("BN statistics and their mode go together");
    }
    return new ForwardOptions(synflow, s, mode, observer);
  }

  public ForwardOptions optObserver(ForwardObserver o) {
    return new ForwardOptions(synflow, stats, statsMode, o == null ? ForwardObserver.NONE : o);
  }

  public boolean synflow() {
    return synflow;
  }

  public BnStats bnStats() {
    return stats;
  }

  public BnStats.Mode bnStatsMode() {
    return statsMode;
  }

  public ForwardObserver observer() {
    return observer;
  }

  /**
   * Whether no one watches the pass's modules: no observer, and BN on the batch's statistics without
   * tracking them. Such a pass may skip or share work whose only trace would be in what is watched.
   */
  public boolean unwatched() {
    return observer == ForwardObserver.NONE && stats == null;
  }
}
