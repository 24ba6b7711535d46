package org.rdnas.proxy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import org.rdnas.nn.ForwardObserver;
import org.rdnas.nn.ForwardOptions;
import org.rdnas.nn.Nb201Network;
import org.rdnas.nn.Weights;

/**
 * SWAP (Peng et al., ICLR 2024; pym1024/SWAP): the minibatch's first 16 images (all, if it has fewer)
 * through the net in the benchmark's convention, train mode, with Gaussian weights (conv and linear
 * N(0, 1), biases 0, BN 1 and 0); the outputs of every ReLU on a 4-D input (cell conv ops, reduction blocks, head) give a
 * 16 x M sign matrix, and the count is its number of distinct columns; score = mean count over 32
 * repeats, each with its own weights from (seed, arch id, repeat). The count is at most 2^16: it
 * saturates for large nets.
 */
public final class Swap extends AbstractProxy {
  /** Repeats of the authors' correlation script. */
  public static final int REPEATS = 32;
  /** Images per pattern: the authors' {@code --input_samples}; a pattern fits in 16 bits. */
  public static final int SAMPLES = 16;

  public Swap() {
    super("swap", true, false);
  }

  @Override
  public double score(ProxyContext ctx) {
    return counts(ctx).mean();
  }

  /** The per-repeat counts, computed once per context and shared with swap_reg. */
  static Counts counts(ProxyContext ctx) {
    return ctx.shared(Counts.class, Swap::countAll);
  }

  /** SWAP's count for each repeat. */
  record Counts(int[] perRepeat) {
    double mean() {
      double s = 0;
      for (int c : perRepeat) {
        s += c;
      }
      return s / perRepeat.length;
    }
  }

  private static Counts countAll(ProxyContext ctx) {
    int[] out = new int[ctx.swapRepeats(REPEATS)];
    Nb201Network net = ctx.benchmarkNetwork();
    try (NDManager s = ctx.scope().newSubManager()) {
      int samples = (int) Math.min(SAMPLES, ctx.images().getShape().get(0));
      NDArray x = ctx.images().get("0:" + samples);
      x.attach(s);
      float[] bit = new float[samples];
      for (int b = 0; b < samples; b++) {
        bit[b] = 1 << b;
      }
      NDArray powers = s.create(bit, new Shape(1, samples));
      for (int r = 0; r < out.length; r++) {
        try (NDManager rs = s.newSubManager();
            Weights w = ctx.swapWeights(rs, r, ctx.precision())) {
          out[r] = count(net, w, ctx, x, powers);
        }
      }
    }
    return new Counts(out);
  }

  /**
   * Distinct sign patterns of one forward. Each column's bits packed into one integer (sample b is bit
   * b) give the same count as the reference's sort of the M x 16 matrix for unique rows, without a sort.
   */
  private static int count(Nb201Network net, Weights w, ProxyContext ctx, NDArray x, NDArray powers) {
    long[] seen = new long[1 << (SAMPLES - 6)];
    int[] distinct = {0};
    ForwardObserver signs = new ForwardObserver() {
      @Override
      public void reluInput(NDArray in, boolean inReluConvBn) {
        // relu(in) > 0 exactly where in > 0. Sums of distinct powers of two below 2^16 are exact in
        // float32, so one matrix product packs every column.
        NDArray bits = in.gt(0).toType(DataType.FLOAT32, false).reshape(powers.getShape().get(1), -1);
        float[] codes;
        try (NDArray packed = powers.matMul(bits)) {
          codes = packed.toFloatArray();
        }
        for (float f : codes) {
          int code = (int) f;
          long mask = 1L << (code & 63);
          if ((seen[code >>> 6] & mask) == 0) {
            seen[code >>> 6] |= mask;
            distinct[0]++;
          }
        }
      }
    };
    net.features(w, ctx.arch(), x.toType(ctx.precision(), false), ForwardOptions.train().optObserver(signs));
    return distinct[0];
  }
}
