package org.rdnas.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.convolutional.Conv2d;
import ai.djl.nn.core.Linear;
import ai.djl.nn.norm.BatchNorm;
import ai.djl.nn.pooling.Pool;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.rdnas.nn.ParamSpec.Role;
import org.rdnas.space.Arch;
import org.rdnas.space.Op;

/**
 * The NAS-Bench-201 macro network as a pure function of named weights: stem conv3x3 + BN; three stages
 * of N cells at C, 2C, 4C with a ResNet basic block (stride 2) between stages; BN, ReLU, global average
 * pool, linear. One layout holds every op of every edge of every cell (the weight-sharing supernet); a
 * forward runs the ops of one arch, so a stand-alone network is the same layout restricted to
 * {@link #parameters(Arch)}. Parameter names follow zero-cost-nas, so reference weights load as they are.
 */
public final class Nb201Network {
  /** BN epsilon of the reference implementations. */
  public static final float BN_EPS = 1e-5f;
  /**
   * Op order of the reference's {@code options} list; a cell op's module index is
   * {@code 5 * edge + position} in this order.
   */
  private static final Op[] REFERENCE_OPTION_ORDER = {
      Op.NONE, Op.AVG_POOL_3X3, Op.NOR_CONV_3X3, Op.NOR_CONV_1X1, Op.SKIP_CONNECT};

  private final NetworkConfig config;
  private final List<ParamSpec> params;
  private final Map<String, ParamSpec> byName;

  private Nb201Network(NetworkConfig config) {
    this.config = config;
    this.params = Collections.unmodifiableList(layout(config));
    Map<String, ParamSpec> m = new LinkedHashMap<>();
    for (ParamSpec p : params) {
      m.put(p.name(), p);
    }
    this.byName = Collections.unmodifiableMap(m);
  }

  public static Nb201Network of(NetworkConfig config) {
    return new Nb201Network(config);
  }

  public NetworkConfig config() {
    return config;
  }

  /** Every parameter of the supernet (all ops on all edges), in a stable order. */
  public List<ParamSpec> parameters() {
    return params;
  }

  /** The parameters a forward of {@code arch} uses, in the order of {@link #parameters()}. */
  public List<ParamSpec> parameters(Arch arch) {
    List<ParamSpec> out = new ArrayList<>();
    for (ParamSpec p : params) {
      if (p.edge() < 0 || arch.op(p.edge()).code() == p.opCode()) {
        out.add(p);
      }
    }
    return out;
  }

  /**
   * Whether a backward pass from the logits of {@code arch} reaches parameter {@code p} (one of
   * {@link #parameters(Arch)}): its output must flow to the logits. An op's output flows to its
   * cell's output when its edge {@link Arch#reachesOutput reaches it}; a cell's output and everything
   * before it flows on only through later cells whose input reaches their output ({@link
   * Arch#connected}). The head always does. A parameter this says is reached must receive a
   * gradient, one it says is not must not: {@link Autograd#gradient(ai.djl.ndarray.NDArray,
   * ai.djl.ndarray.NDManager, boolean)} holds backward passes to that.
   */
  public boolean reached(Arch arch, ParamSpec p) {
    String name = p.name();
    if (name.startsWith("top.")) {
      return true;
    }
    if (p.edge() >= 0 && (arch.op(p.edge()).code() != p.opCode() || !arch.reachesOutput(p.edge()))) {
      return false;
    }
    boolean lastCell = name.startsWith("stack_cell3." + (config.cells() - 1) + ".");
    return lastCell || arch.connected();
  }

  public ParamSpec parameter(String name) {
    ParamSpec p = byName.get(name);
    if (p == null) {
      throw new IllegalArgumentException("network has no parameter '" + name + "'");
    }
    return p;
  }

  /** Trainable parameter count of the stand-alone network of {@code arch} in this convention. */
  public long parameterCount(Arch arch) {
    long n = 0;
    for (ParamSpec p : parameters(arch)) {
      n += p.size();
    }
    return n;
  }

  /**
   * Multiply-accumulates for one input image: every conv and linear that runs counts
   * {@code kh*kw*Cin*Cout*Hout*Wout} (plus {@code Cout*Hout*Wout} with a bias), a linear {@code in*out}
   * (plus {@code out}); pooling, BN, ReLU and additions are not counted. Ops on dead edges count, as
   * the reference runs them (a plain forward skips them: they change no logit and no gradient).
   */
  public long macs(Arch arch) {
    long n = 0;
    int res = NetworkConfig.IMAGE_SIZE;
    for (ParamSpec p : parameters(arch)) {
      String name = p.name();
      long[] s = p.shape();
      if (p.role() == Role.CONV_WEIGHT || p.role() == Role.CONV_BIAS) {
        int out = outputResolution(name, res);
        n += p.role() == Role.CONV_WEIGHT
            ? s[0] * s[1] * s[2] * s[3] * out * out
            : s[0] * (long) out * out;
      } else if (p.role() == Role.LINEAR_WEIGHT) {
        n += s[0] * s[1];
      } else if (p.role() == Role.LINEAR_BIAS) {
        n += s[0];
      }
    }
    return n;
  }

  private int outputResolution(String name, int input) {
    int stage = 1;
    if (name.startsWith("stack_cell")) {
      stage = name.charAt("stack_cell".length()) - '0';
    } else if (name.startsWith("reduction")) {
      stage = name.charAt("reduction".length()) - '0' + 1;
    }
    return input >> (stage - 1);
  }

  /** Logits of {@code arch} for the batch {@code x} (N x inputChannels x H x W). */
  public NDArray forward(Weights w, Arch arch, NDArray x, ForwardOptions o) {
    return logits(w, null, arch, new Dual(x, null), o).value;
  }

  /**
   * Logits and their directional derivative along the weight direction {@code direction} (a
   * forward-mode Jacobian-vector product): {@code {logits, d logits}}. Parameters that
   * {@code direction} does not name do not move. Differentiating a function of the derivative with an
   * ordinary backward gives Hessian-vector products without a create-graph backward, whose
   * parameter-gradient reference cycle PyTorch cannot free through DJL. Batch-statistics BN only.
   */
  public NDArray[] forwardWithTangent(
      Weights w, Weights direction, Arch arch, NDArray x, ForwardOptions o) {
    if (o.bnStats() != null) {
      throw new IllegalArgumentException("tangents are defined for batch-statistics BN only");
    }
    Dual out = logits(w, direction, arch, new Dual(x, null), o);
    return new NDArray[] {out.value, out.tangent != null ? out.tangent : out.value.zerosLike()};
  }

  /** The activations before global pooling (head BN and ReLU included), as Zen-NAS reads them. */
  public NDArray features(Weights w, Arch arch, NDArray x, ForwardOptions o) {
    return features(w, null, arch, new Dual(x, null), o).value;
  }

  /** Blocks after the stem: the cells of the three stages with a reduction block between stages. */
  public int blockCount() {
    return 3 * config.cells() + 2;
  }

  /** The stem's output (conv3x3, BN) for the batch {@code x}. */
  public NDArray stem(Weights w, NDArray x, ForwardOptions o) {
    return stem(w, null, new Dual(x, null), o).value;
  }

  /**
   * Block {@code i} of {@link #blockCount()} (cells and reduction blocks in forward order) applied to
   * {@code x}, the previous block's output: AZ-NAS's feature maps are the stem's and these outputs.
   */
  public NDArray block(Weights w, Arch arch, int i, NDArray x, ForwardOptions o) {
    return block(w, null, arch, i, new Dual(x, null), o).value;
  }

  /**
   * The logits of {@code a} and of {@code b} for the same batch, as two {@link #forward}s give them,
   * in less time: a plain forward (no observer, batch-statistics BN) computes the stem, which every
   * arch shares, once. A backward then sums the two archs' gradients at the stem's output before
   * the stem's own backward, so the stem's weights get their gradient up to float rounding, every
   * other weight bit for bit.
   */
  public NDArray[] forwardPair(Weights w, Arch a, Arch b, NDArray x, ForwardOptions o) {
    if (!o.unwatched()) {
      return new NDArray[] {forward(w, a, x, o), forward(w, b, x, o)};
    }
    Dual stem = stem(w, null, new Dual(x, null), o);
    return new NDArray[] {head(w, null, body(w, null, a, stem, o), o).value,
        head(w, null, body(w, null, b, stem, o), o).value};
  }

  private Dual logits(Weights w, Weights dir, Arch arch, Dual x, ForwardOptions o) {
    return head(w, dir, features(w, dir, arch, x, o), o);
  }

  /** Global pooling and the classifier, on the features. */
  private Dual head(Weights w, Weights dir, Dual f, ForwardOptions o) {
    Dual pooled = f.map(a -> {
      Shape s = a.getShape();
      return a.reshape(s.get(0), s.get(1), -1).mean(new int[] {2});
    });
    String cls = "top.classifier";
    NDArray weight = w.get(cls + ".weight");
    NDArray bias = w.get(cls + ".bias");
    emit(o, pooled, "top.global_pooling");
    NDArray value = Linear.linear(pooled.value, weight, bias).head();
    NDArray tangent = pooled.tangent == null ? null
        : Linear.linear(pooled.tangent, weight, null).head();
    NDArray dWeight = dir == null ? null : dir.find(cls + ".weight");
    NDArray dBias = dir == null ? null : dir.find(cls + ".bias");
    if (dWeight != null) {
      tangent = plus(tangent, Linear.linear(pooled.value, dWeight, dBias).head());
    } else if (dBias != null) {
      tangent = plus(tangent, value.zerosLike().add(dBias.reshape(1, -1)));
    }
    Dual out = new Dual(o.observer().layerOutput(cls, value), tangent);
    return emit(o, out, cls, "top", "<model>");
  }

  private Dual features(Weights w, Weights dir, Arch arch, Dual x, ForwardOptions o) {
    return body(w, dir, arch, stem(w, dir, x, o), o);
  }

  /** Everything between the stem's output and global pooling. */
  private Dual body(Weights w, Weights dir, Arch arch, Dual stem, ForwardOptions o) {
    Dual h = stem;
    for (int i = 0; i < blockCount(); i++) {
      int block = i;
      h = scoped(h, in -> block(w, dir, arch, block, in, o));
    }
    h = bn(w, dir, h, "top.lastact.0", true, !o.synflow(), o);
    return emit(o, relu(h, false, "top.lastact.1", o), "top.lastact");
  }

  private Dual stem(Weights w, Weights dir, Dual x, ForwardOptions o) {
    Dual h = conv(w, dir, x, "stem.net.0", 1, 1, o);
    h = bn(w, dir, h, "stem.net.1", true, !o.synflow(), o);
    return emit(o, h, "stem.net", "stem");
  }

  /** Block {@code i}: cell {@code i mod (N+1)} of stage {@code i / (N+1) + 1}, index N the reduction. */
  private Dual block(Weights w, Weights dir, Arch arch, int i, Dual x, ForwardOptions o) {
    if (i < 0 || i >= blockCount()) {
      throw new IllegalArgumentException("block " + i + " of " + blockCount());
    }
    int n = config.cells();
    int stage = i / (n + 1) + 1;
    int cell = i % (n + 1);
    if (cell == n) {
      return reduction(w, dir, x, "reduction" + stage, o);
    }
    String stack = "stack_cell" + stage;
    Dual out = emit(o, cell(w, dir, arch, x, stack + "." + cell, o), stack + "." + cell);
    // The stage's Sequential returns its last cell's output once more.
    return cell == n - 1 ? emit(o, out, stack) : out;
  }

  /** Shows {@code d} to the observer as the output of each of {@code modules}, in order. */
  private static Dual emit(ForwardOptions o, Dual d, String... modules) {
    for (String m : modules) {
      o.observer().moduleOutput(m, d.value);
    }
    return d;
  }

  private Dual cell(Weights w, Weights dir, Arch arch, Dual x, String prefix, ForwardOptions o) {
    // Ops whose output never reaches the cell's output change neither the logits nor any gradient
    // (Arch#reachesOutput). They run while someone watches (an observer sees every module, BN
    // statistics are tracked per op, a tangent is asked for), as in the reference; a plain forward,
    // such as job 2's training step and evaluation, skips them.
    boolean prune = dir == null && o.unwatched();
    Dual[] nodes = new Dual[4];
    nodes[0] = x;
    int e = 0;
    for (int node = 1; node <= 3; node++) {
      Dual acc = null;
      // Edges into a node are consecutive; the first tells whether the node reaches the output.
      boolean live = arch.reachesOutput(e);
      for (int src = 0; src < node; src++, e++) {
        if (prune && !live) {
          continue;
        }
        Op op = arch.op(e);
        Dual h = nodes[src];
        Dual out;
        String module = prefix + ".options." + optionIndex(e, op);
        switch (op) {
          case NONE -> {
            out = null;
            o.observer().moduleOutput(module, null);
          }
          case SKIP_CONNECT -> out = emit(o, h, module);
          case AVG_POOL_3X3 -> out = emit(o, h.map(v -> avgPool3x3(w, v)), module + ".avgpool", module);
          default -> {
            String base = module + ".op";
            int k = op.kernel();
            Dual r = conv(w, dir, relu(h, true, base + ".0", o), base + ".1", 1, k / 2, o);
            out = bn(w, dir, r, base + ".2", config.convention().cellBnAffine(), !o.synflow(), o);
            emit(o, out, base, module);
          }
        }
        if (out != null) {
          acc = acc == null ? out : new Dual(acc.value.add(out.value), plus(acc.tangent, out.tangent));
        }
      }
      // A node whose every incoming edge is none outputs zeros, as h * 0 does in the reference; a
      // skipped node has no value, and no edge that runs reads it (its source would reach the output).
      nodes[node] = acc != null ? acc : prune && !live ? null : new Dual(x.value.zerosLike(), null);
    }
    return nodes[3];
  }

  /**
   * Runs one block in its own scope and keeps only its output. DJL holds every intermediate array
   * until its manager closes, unlike PyTorch's reference counting; closing a block's scope frees its
   * intermediates at once (autograd still holds what backward needs), which keeps a forward's memory
   * near PyTorch's instead of growing with depth.
   */
  private static Dual scoped(Dual x, java.util.function.UnaryOperator<Dual> block) {
    NDManager parent = x.value.getManager();
    try (NDManager sub = parent.newSubManager()) {
      x.value.tempAttach(sub);
      if (x.tangent != null) {
        x.tangent.tempAttach(sub);
      }
      Dual out = block.apply(x);
      out.value.attach(parent);
      if (out.tangent != null) {
        out.tangent.attach(parent);
      }
      return out;
    }
  }

  /**
   * avg_pool_3x3 with stride 1, pad 1 and count_include_pad=False: each window's sum over the cells
   * inside the image, as a depthwise convolution with a kernel of ones, divided by how many cells
   * that is. libtorch's NCHW pooling kernels are scalar; the convolution takes a sixth of their time
   * forward and backward on a CPU, and agrees with them to float rounding (it sums in another order).
   * (DJL 0.36's PyTorch binding also ignores the pooling's countIncludePad flag.)
   */
  static NDArray avgPool3x3(Weights w, NDArray h) {
    Shape s = h.getShape();
    long channels = s.get(1);
    int rows = Math.toIntExact(s.get(2));
    int cols = Math.toIntExact(s.get(3));
    String suffix = " " + h.getDataType() + " " + h.getDevice();
    // Both depend only on the shape: made once per step.
    NDArray ones = w.constant("avgpool3x3-ones " + channels + suffix,
        m -> m.ones(new Shape(channels, 1, 3, 3), h.getDataType(), h.getDevice()));
    Shape one = new Shape(1, 1);
    NDArray cells = w.constant("avgpool3x3-cells " + rows + "x" + cols + suffix, m -> {
      try (NDManager scratch = m.newSubManager()) {
        NDArray plane = scratch.ones(new Shape(1, 1, rows, cols), h.getDataType(), h.getDevice());
        NDArray kernel = scratch.ones(new Shape(1, 1, 3, 3), h.getDataType(), h.getDevice());
        NDArray n = Conv2d.conv2d(plane, kernel, null, one, one).head();
        n.attach(m);
        return n;
      }
    });
    return Conv2d.conv2d(h, ones, null, one, one, one, Math.toIntExact(channels)).head().div(cells);
  }

  private Dual reduction(Weights w, Weights dir, Dual x, String p, ForwardOptions o) {
    Dual a = conv(w, dir, relu(x, true, p + ".conv_a.op.0", o), p + ".conv_a.op.1", 2, 1, o);
    a = emit(o, bn(w, dir, a, p + ".conv_a.op.2", true, true, o), p + ".conv_a.op", p + ".conv_a");
    a = conv(w, dir, relu(a, true, p + ".conv_b.op.0", o), p + ".conv_b.op.1", 1, 1, o);
    a = emit(o, bn(w, dir, a, p + ".conv_b.op.2", true, true, o), p + ".conv_b.op", p + ".conv_b");
    Dual pooled = emit(o, x.map(
        v -> Pool.avgPool2d(v, new Shape(2, 2), new Shape(2, 2), new Shape(0, 0), false, true)),
        p + ".residual.0");
    Dual r = emit(o, conv(w, dir, pooled, p + ".residual.1", 1, 0, o), p + ".residual");
    return emit(o, new Dual(r.value.add(a.value), plus(r.tangent, a.tangent)), p);
  }

  private static Dual relu(Dual x, boolean inReluConvBn, String module, ForwardOptions o) {
    o.observer().reluInput(x.value, inReluConvBn);
    NDArray t = x.tangent == null ? null
        : x.tangent.mul(x.value.gt(0).toType(x.tangent.getDataType(), false));
    return emit(o, new Dual(Activation.relu(x.value), t), module);
  }

  private static Dual conv(
      Weights w, Weights dir, Dual x, String layer, int stride, int pad, ForwardOptions o) {
    Shape s = new Shape(stride, stride);
    Shape p = new Shape(pad, pad);
    NDArray weight = w.get(layer + ".weight");
    NDArray out = Conv2d.conv2d(x.value, weight, w.find(layer + ".bias"), s, p).head();
    NDArray t = x.tangent == null ? null : Conv2d.conv2d(x.tangent, weight, null, s, p).head();
    NDArray dWeight = dir == null ? null : dir.find(layer + ".weight");
    NDArray dBias = dir == null ? null : dir.find(layer + ".bias");
    if (dWeight != null) {
      t = plus(t, Conv2d.conv2d(x.value, dWeight, dBias, s, p).head());
    } else if (dBias != null) {
      t = plus(t, out.zerosLike().add(dBias.reshape(1, -1, 1, 1)));
    }
    return emit(o, new Dual(o.observer().layerOutput(layer, out), t), layer);
  }

  private static Dual bn(Weights w, Weights dir, Dual x, String name, boolean affine, boolean present,
      ForwardOptions o) {
    if (!present) {
      return x;
    }
    NDArray v = x.value;
    long ch = v.getShape().get(1);
    // Read-only ones and zeros, and per-thread scratch running statistics (batch-statistics BN
    // writes the batch's into them and never reads them back), made once per step, not per layer.
    String suffix = " " + ch + " " + v.getDataType() + " " + v.getDevice();
    NDArray gamma = affine ? w.get(name + ".weight") : w.constant("ones" + suffix,
        m -> m.ones(new Shape(ch), v.getDataType(), v.getDevice()));
    NDArray beta = affine ? w.get(name + ".bias") : w.constant("zeros" + suffix,
        m -> m.zeros(new Shape(ch), v.getDataType(), v.getDevice()));
    BnStats stats = o.bnStats();
    NDArray mean;
    NDArray var;
    boolean training = true;
    float momentum = 0f;
    if (stats == null) {
      String thread = " thread " + Thread.currentThread().getId();
      mean = w.constant("scratch-mean" + suffix + thread,
          m -> m.zeros(new Shape(ch), v.getDataType(), v.getDevice()));
      var = w.constant("scratch-var" + suffix + thread,
          m -> m.ones(new Shape(ch), v.getDataType(), v.getDevice()));
    } else {
      NDArray[] st = stats.of(name, ch, v.getDataType());
      mean = st[0];
      var = st[1];
      training = o.bnStatsMode() == BnStats.Mode.TRACK;
      // DJL's batchNorm takes the weight of the old value; PyTorch's momentum is the new batch's.
      momentum = training ? (float) (1 - stats.nextBatchWeight(name)) : 0f;
    }
    // axis -1 takes DJL's direct path to PyTorch's batch_norm, which normalises dimension 1.
    NDArray y = BatchNorm.batchNorm(v, mean, var, gamma, beta, -1, momentum, BN_EPS, training).head();
    NDArray t = x.tangent == null ? null : bnTangent(v, x.tangent, gamma);
    NDArray dGamma = dir == null || !affine ? null : dir.find(name + ".weight");
    NDArray dBeta = dir == null || !affine ? null : dir.find(name + ".bias");
    if (dGamma != null) {
      // d(gamma * xhat) = dgamma * xhat, with xhat = (y - beta) / gamma recomputed from the batch.
      t = plus(t, normalised(v).mul(dGamma.reshape(1, -1, 1, 1)));
    }
    if (dBeta != null) {
      t = plus(t, v.zerosLike().add(dBeta.reshape(1, -1, 1, 1)));
    }
    return emit(o, new Dual(y, t), name);
  }

  /** (x - batch mean) / sqrt(batch variance + eps), per channel. */
  private static NDArray normalised(NDArray x) {
    Shape bc = new Shape(1, x.getShape().get(1), 1, 1);
    NDArray xc = x.sub(channelMean(x).reshape(bc));
    return xc.div(channelMean(xc.mul(xc)).add(BN_EPS).sqrt().reshape(bc));
  }

  /**
   * Derivative of batch-statistics BN: with xc = x - mean, s = sqrt(var + eps), xhat = xc / s,
   * d xhat = (dx - mean(dx) - xhat * mean(xhat * (dx - mean(dx)))) / s; output tangent gamma * d xhat.
   */
  private static NDArray bnTangent(NDArray x, NDArray dx, NDArray gamma) {
    Shape s = x.getShape();
    long c = s.get(1);
    Shape bc = new Shape(1, c, 1, 1);
    NDArray xc = x.sub(channelMean(x).reshape(bc));
    NDArray std = channelMean(xc.mul(xc)).add(BN_EPS).sqrt().reshape(bc);
    NDArray xhat = xc.div(std);
    NDArray dxc = dx.sub(channelMean(dx).reshape(bc));
    NDArray proj = channelMean(xhat.mul(dxc)).reshape(bc);
    return dxc.sub(xhat.mul(proj)).div(std).mul(gamma.reshape(bc));
  }

  /** Per-channel mean over batch and space (DJL's PyTorch mean takes one axis at a time). */
  private static NDArray channelMean(NDArray x) {
    long c = x.getShape().get(1);
    return x.transpose(1, 0, 2, 3).reshape(c, -1).mean(new int[] {1});
  }

  private static NDArray plus(NDArray a, NDArray b) {
    return a == null ? b : b == null ? a : a.add(b);
  }

  /** An activation and its tangent (null when it does not depend on the weight direction). */
  private record Dual(NDArray value, NDArray tangent) {
    Dual map(java.util.function.UnaryOperator<NDArray> linear) {
      return new Dual(linear.apply(value), tangent == null ? null : linear.apply(tangent));
    }
  }

  /** The reference's module index of op {@code op} on edge {@code e}. */
  static int optionIndex(int e, Op op) {
    for (int i = 0; i < REFERENCE_OPTION_ORDER.length; i++) {
      if (REFERENCE_OPTION_ORDER[i] == op) {
        return 5 * e + i;
      }
    }
    throw new AssertionError(op);
  }

  private static List<ParamSpec> layout(NetworkConfig cfg) {
    List<ParamSpec> out = new ArrayList<>();
    int c = cfg.channels();
    conv(out, "stem.net.0", c, cfg.inputChannels(), 3, false, -1, -1);
    bnParams(out, "stem.net.1", c, -1, -1);
    for (int stage = 1; stage <= 3; stage++) {
      for (int i = 0; i < cfg.cells(); i++) {
        String prefix = "stack_cell" + stage + "." + i;
        for (int e = 0; e < Arch.EDGES; e++) {
          for (Op op : REFERENCE_OPTION_ORDER) {
            if (!op.isConv()) {
              continue;
            }
            String base = prefix + ".options." + optionIndex(e, op) + ".op";
            conv(out, base + ".1", c, c, op.kernel(), cfg.convention().cellConvBias(), e, op.code());
            if (cfg.convention().cellBnAffine()) {
              bnParams(out, base + ".2", c, e, op.code());
            }
          }
        }
      }
      if (stage < 3) {
        String p = "reduction" + stage;
        conv(out, p + ".conv_a.op.1", 2 * c, c, 3, false, -1, -1);
        bnParams(out, p + ".conv_a.op.2", 2 * c, -1, -1);
        conv(out, p + ".conv_b.op.1", 2 * c, 2 * c, 3, false, -1, -1);
        bnParams(out, p + ".conv_b.op.2", 2 * c, -1, -1);
        conv(out, p + ".residual.1", 2 * c, c, 1, false, -1, -1);
        c *= 2;
      }
    }
    bnParams(out, "top.lastact.0", c, -1, -1);
    out.add(new ParamSpec("top.classifier.weight", new long[] {cfg.classes(), c},
        Role.LINEAR_WEIGHT, c, -1, -1));
    out.add(new ParamSpec("top.classifier.bias", new long[] {cfg.classes()},
        Role.LINEAR_BIAS, c, -1, -1));
    return out;
  }

  private static void conv(List<ParamSpec> out, String layer, int cout, int cin, int k,
      boolean bias, int edge, int op) {
    int fanIn = cin * k * k;
    out.add(new ParamSpec(layer + ".weight", new long[] {cout, cin, k, k}, Role.CONV_WEIGHT,
        fanIn, edge, op));
    if (bias) {
      out.add(new ParamSpec(layer + ".bias", new long[] {cout}, Role.CONV_BIAS, fanIn, edge, op));
    }
  }

  private static void bnParams(List<ParamSpec> out, String layer, int c, int edge, int op) {
    out.add(new ParamSpec(layer + ".weight", new long[] {c}, Role.BN_WEIGHT, 0, edge, op));
    out.add(new ParamSpec(layer + ".bias", new long[] {c}, Role.BN_BIAS, 0, edge, op));
  }
}
