package org.rdnas.proxy;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.rdnas.data.BatchAssembler;
import ai.djl.ndarray.NDArray;
import org.rdnas.nn.Nb201Network;
import org.rdnas.nn.Nb201Subnet;
import org.rdnas.nn.SubnetModel;
import org.rdnas.space.Arch;
import org.rdnas.util.Seeds;

/**
 * Scores archs with a list of proxies. The minibatch and the initial weights of an arch derive from
 * (seed, arch id) only, so any row can be recomputed alone, in any order, on any machine. A proxy
 * that throws or returns a non-finite value yields a failed score, never a failed run; once the arch's
 * time budget is spent the remaining proxies are marked failed (a running native call is not
 * interrupted). All arrays of one arch live in one scope, closed before the next arch.
 */
public final class ProxyScorer {
  private final Nb201Network network;
  private final List<ZeroCostProxy> proxies;
  private final BatchAssembler data;
  private final int batchSize;
  private final long seed;
  private final DataType precision;
  private final Duration timeout;
  private final boolean needsData;
  private final int minibatches;

  private final double swapRegMu;
  private final double swapRegSigma;

  private ProxyScorer(Builder b) {
    this.network = b.network;
    this.proxies = List.copyOf(b.proxies);
    this.data = b.data;
    this.batchSize = b.batchSize;
    this.seed = b.seed;
    this.precision = b.precision;
    this.timeout = b.timeout;
    this.swapRegMu = b.swapRegMu;
    this.swapRegSigma = b.swapRegSigma;
    this.needsData = proxies.stream().anyMatch(ZeroCostProxy::needsData);
    this.minibatches = proxies.stream().filter(ZeroCostProxy::needsData)
        .mapToInt(ZeroCostProxy::minibatches).max().orElse(0);
    if (minibatches > 2) {
      throw new IllegalArgumentException("a proxy asks for " + minibatches + " minibatches; at most 2 are given");
    }
    if (needsData && data == null) {
      throw new IllegalArgumentException("proxies " + proxies.stream().filter(ZeroCostProxy::needsData)
          .map(ZeroCostProxy::name).toList() + " need a dataset");
    }
    if (data != null && data.data().size() < batchSize) {
      throw new IllegalArgumentException("dataset " + data.data().origin() + " has "
          + data.data().size() + " images, fewer than the proxy batch size " + batchSize);
    }
    if (needsData && data.data().size() < (long) batchSize * minibatches) {
      throw new IllegalArgumentException("dataset " + data.data().origin() + " has "
          + data.data().size() + " images, fewer than the " + minibatches + " distinct minibatches of "
          + batchSize + " that " + proxies.stream().filter(p -> p.minibatches() == minibatches)
              .map(ZeroCostProxy::name).toList() + " read");
    }
  }

  /** A scorer of {@code proxies} on {@code network} (search-cell convention). */
  public static Builder builder(Nb201Network network, List<ZeroCostProxy> proxies) {
    return new Builder(network, proxies);
  }

  /**
   * A scorer of {@code proxies} for the networks of any search space, given to
   * {@link #score(NDManager, SubnetModel)}; every proxy must be {@link
   * ZeroCostProxy#architectureGeneric() architecture-generic}.
   */
  public static Builder builder(List<ZeroCostProxy> proxies) {
    List<String> specific = proxies.stream().filter(p -> !p.architectureGeneric())
        .map(ZeroCostProxy::name).toList();
    if (!specific.isEmpty()) {
      throw new IllegalArgumentException("proxies " + specific + " are defined on NAS-Bench-201 "
          + "networks only; the architecture-generic ones are " + Proxies.names().stream()
              .filter(n -> Proxies.byName(n).architectureGeneric()).toList());
    }
    return new Builder(null, proxies);
  }

  public List<ZeroCostProxy> proxies() {
    return proxies;
  }

  /** The dataset indices of {@code arch}'s minibatch: {@code batchSize} distinct, seeded by (seed, arch id). */
  public int[] batchIndices(Arch arch) {
    return batchIndices(arch.id(), 1);
  }

  /**
   * The indices of {@code arch}'s first {@code batches} minibatches, concatenated, all distinct; the
   * first minibatch is the same whatever {@code batches} is.
   */
  int[] batchIndices(Arch arch, int batches) {
    return batchIndices((long) arch.id(), batches);
  }

  private int[] batchIndices(long archId, int batches) {
    int n = data.data().size();
    int count = batchSize * batches;
    SplittableRandom rng = new SplittableRandom(Seeds.mix(seed, archId, 4));
    // Partial Fisher-Yates over a lazily materialised permutation: drawing further extends the prefix.
    java.util.Map<Integer, Integer> swapped = new java.util.HashMap<>();
    int[] out = new int[count];
    for (int i = 0; i < count; i++) {
      int j = i + rng.nextInt(n - i);
      int vj = swapped.getOrDefault(j, j);
      swapped.put(j, swapped.getOrDefault(i, i));
      out[i] = vj;
    }
    return out;
  }

  /** Every proxy's score for {@code arch}, in the scorer's proxy order. */
  public List<ProxyScore> score(NDManager parent, Arch arch) {
    if (network == null) {
      throw new IllegalStateException("this scorer was built without a NAS-Bench-201 network");
    }
    return score(parent, Nb201Subnet.of(network, arch));
  }

  /**
   * Every proxy's score for the arch {@code model} of any space, in the scorer's proxy order. The
   * minibatch is enlarged to the model's input size by repeating pixels (nearest neighbour) when the
   * dataset's images are smaller by a whole factor.
   */
  public List<ProxyScore> score(NDManager parent, SubnetModel model) {
    long deadline = System.nanoTime() + timeout.toNanos();
    List<ProxyScore> out = new ArrayList<>(proxies.size());
    try (NDManager scope = parent.newSubManager()) {
      long archId = model.archId();
      ProxyContext.Builder b = ProxyContext.builder(scope, model)
          .optSeed(seed).optPrecision(precision).optSwapRegPrior(swapRegMu, swapRegSigma);
      if (needsData) {
        int[] idx = batchIndices(archId, minibatches);
        NDList batch = data.toNDList(scope, java.util.Arrays.copyOf(idx, batchSize), false, seed, archId);
        b.optBatch(resized(batch.get(0), model.inputSize()), batch.get(1));
        if (minibatches > 1) {
          NDList second = data.toNDList(scope, java.util.Arrays.copyOfRange(idx, batchSize, 2 * batchSize),
              false, seed, archId);
          b.optSecondBatch(resized(second.get(0), model.inputSize()), second.get(1));
        }
      }
      try (ProxyContext ctx = b.build()) {
        for (ZeroCostProxy p : proxies) {
          if (System.nanoTime() > deadline) {
            out.add(ProxyScore.failed(p.name(), "timed out: the arch's budget of " + timeout
                + " was spent before this proxy started", 0));
            continue;
          }
          out.add(run(p, ctx));
        }
      }
    }
    return out;
  }

  /** {@code x} (N x C x s x s) with each pixel repeated to side {@code side}, a whole multiple of s. */
  static NDArray resized(NDArray x, int side) {
    long s = x.getShape().get(2);
    if (s == side) {
      return x;
    }
    if (side % s != 0) {
      throw new IllegalArgumentException("cannot enlarge " + s + " px images to " + side
          + " px: the input size must be a whole multiple of the dataset's");
    }
    int k = Math.toIntExact(side / s);
    return x.repeat(2, k).repeat(3, k);
  }

  private static ProxyScore run(ZeroCostProxy p, ProxyContext ctx) {
    long t0 = System.nanoTime();
    try {
      double v = p.score(ctx);
      double ms = (System.nanoTime() - t0) / 1e6;
      if (Double.isNaN(v)) {
        return ProxyScore.failed(p.name(), "score is NaN", ms);
      }
      if (Double.isInfinite(v)) {
        return ProxyScore.failed(p.name(), "score is " + (v > 0 ? "+" : "-") + "infinity", ms);
      }
      return ProxyScore.ok(p.name(), v, ms);
    } catch (RuntimeException | OutOfMemoryError e) {
      String msg = e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
      return ProxyScore.failed(p.name(), msg, (System.nanoTime() - t0) / 1e6);
    }
  }

  /** Builds a {@link ProxyScorer}: batch size 64, seed 0, float32, a 10-minute budget per arch. */
  public static final class Builder {
    private final Nb201Network network;
    private final List<ZeroCostProxy> proxies;
    private BatchAssembler data;
    private int batchSize = 64;
    private long seed;
    private DataType precision = DataType.FLOAT32;
    private Duration timeout = Duration.ofMinutes(10);
    private double swapRegMu = SwapReg.MU;
    private double swapRegSigma = SwapReg.SIGMA;

    private Builder(Nb201Network network, List<ZeroCostProxy> proxies) {
      if (proxies.isEmpty()) {
        throw new IllegalArgumentException("no proxies to score");
      }
      this.network = network;
      this.proxies = proxies;
    }

    /** Where minibatches come from (unaugmented, normalised). */
    public Builder optData(BatchAssembler d) {
      this.data = d;
      return this;
    }

    public Builder optBatchSize(int n) {
      if (n < 2) {
        throw new IllegalArgumentException("proxy batch size must be >= 2, got " + n);
      }
      this.batchSize = n;
      return this;
    }

    public Builder optSeed(long s) {
      this.seed = s;
      return this;
    }

    /** swap_reg's parameter prior, {@code rdnas.proxy.swap-reg-mu} and {@code swap-reg-sigma}. */
    public Builder optSwapRegPrior(double mu, double sigma) {
      this.swapRegMu = mu;
      this.swapRegSigma = sigma;
      return this;
    }

    public Builder optPrecision(DataType t) {
      this.precision = t;
      return this;
    }

    public Builder optTimeout(Duration d) {
      if (d.isNegative() || d.isZero()) {
        throw new IllegalArgumentException("per-arch timeout must be positive, got " + d);
      }
      this.timeout = d;
      return this;
    }

    public ProxyScorer build() {
      return new ProxyScorer(this);
    }
  }
}
