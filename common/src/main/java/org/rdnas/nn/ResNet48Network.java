package org.rdnas.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
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
import java.util.Objects;
import java.util.function.UnaryOperator;
import org.rdnas.nn.ParamSpec.Role;
import org.rdnas.space.ResNet48Arch;
import org.rdnas.space.ResNet48Space;

/**
 * The CVPR 2022 Track 1 "ResNet48" as a pure function of named weights, after the RD-NAS authors'
 * {@code hnas/models/resnet.py} and PaddleSlim's OFA layers: stem conv 7x7/2 (no bias) + BN + ReLU +
 * max-pool 3x3/2; four stages of BasicBlocks (two 3x3 convs without bias, each followed by an affine
 * BN, ReLU after the first and after the residual sum) whose first block in stages 2-4 has stride 2
 * and a 1x1/stride shortcut conv + BN; global average pool; a linear head. The supernet holds every
 * block at the largest widths; an arch runs the first d blocks of each stage (elastic depth) and
 * the first channels of every conv, BN and the head (elastic width, as OFA slices them), so a
 * stand-alone network is the same forward over weights of exactly its shapes. BNs normalise with
 * batch statistics (train mode, as the supernet trains and proxies score) unless running statistics
 * are given; any input side that is a multiple of 32 works. Parameter names follow the authors'
 * module paths ({@code blocks.0.conv} the stem, {@code blocks.1..23} the slots, {@code blocks.24.fc}).
 */
public final class ResNet48Network {
  /** BN epsilon of Paddle's BatchNorm2D. */
  public static final float BN_EPS = 1e-5f;
  private static final int HEAD = ResNet48Arch.SLOTS + 1;

  private final ResNet48Arch fixed;
  private final int classes;
  private final double width;
  private final List<ParamSpec> params;
  private final Map<String, ParamSpec> byName;

  private ResNet48Network(ResNet48Arch fixed, int classes, double width) {
    if (classes < 1) {
      throw new IllegalArgumentException("classes must be >= 1, got " + classes);
    }
    checkWidth(width);
    this.fixed = fixed;
    this.classes = classes;
    this.width = width;
    this.params = Collections.unmodifiableList(layout(fixed, classes, width));
    Map<String, ParamSpec> m = new LinkedHashMap<>();
    params.forEach(p -> m.put(p.name(), p));
    this.byName = Collections.unmodifiableMap(m);
  }

  /** The weight-sharing supernet: every block at its stage's largest width. */
  public static ResNet48Network supernet(int classes) {
    return supernet(classes, 1);
  }

  /** The supernet with every base width (64, 128, 256, 512) scaled by {@code width}, in (0, 1]. */
  public static ResNet48Network supernet(int classes, double width) {
    return new ResNet48Network(null, classes, width);
  }

  /** The stand-alone network of {@code arch}: its blocks only, at exactly its widths. */
  public static ResNet48Network standalone(ResNet48Arch arch, int classes) {
    return standalone(arch, classes, 1);
  }

  /** As {@link #standalone(ResNet48Arch, int)} with base widths scaled by {@code width}. */
  public static ResNet48Network standalone(ResNet48Arch arch, int classes, double width) {
    return new ResNet48Network(Objects.requireNonNull(arch, "arch"), classes, width);
  }

  /** Refuses a width multiplier outside (0, 1]. */
  public static void checkWidth(double width) {
    if (!(width > 0 && width <= 1)) {
      throw new IllegalArgumentException("ResNet48 width multiplier must be in (0, 1], got " + width);
    }
  }

  /** Classes of the head. */
  public int classes() {
    return classes;
  }

  /** The multiplier of the challenge's base widths. */
  public double width() {
    return width;
  }

  /** Refuses an input side the network cannot take: at least 32 and a multiple of 32. */
  public static void checkResolution(int side) {
    if (side < 32 || side % 32 != 0) {
      throw new IllegalArgumentException("ResNet48 input side must be a multiple of 32 (its total "
          + "stride), >= 32, got " + side);
    }
  }

  /** Every parameter of this network, in forward order. */
  public List<ParamSpec> parameters() {
    return params;
  }

  /**
   * The parameters a forward of {@code arch} uses, shaped as its stand-alone network's: on the
   * supernet, the first channels of the first blocks of each stage.
   */
  public List<ParamSpec> parameters(ResNet48Arch arch) {
    List<ParamSpec> out = new ArrayList<>();
    for (ParamSpec p : layout(arch, classes, width)) {
      ParamSpec mine = byName.get(p.name());
      long[] have = mine == null ? null : mine.shape();
      long[] need = p.shape();
      for (int i = 0; have != null && i < need.length; i++) {
        if (need[i] > have[i]) {
          have = null;
        }
      }
      if (have == null) {
        throw new IllegalArgumentException("arch " + arch + " needs " + p + ", which this network "
            + (mine == null ? "lacks" : "holds only as " + mine));
      }
      out.add(p);
    }
    return out;
  }

  /** Trainable parameters of {@code arch} (all of them reach the logits). */
  public long parameterCount(ResNet48Arch arch) {
    return parameters(arch).stream().mapToLong(ParamSpec::size).sum();
  }

  /**
   * Multiply-accumulates of {@code arch} for one {@code side} px image: {@code k*k*Cin*Cout*Hout*Wout}
   * for every conv, {@code in*out + out} for the head; BN, ReLU, pooling and additions not counted.
   */
  public long macs(ResNet48Arch arch, int side) {
    checkResolution(side);
    long n = 0;
    int h = side / 2;
    int cin = arch.stemChannels(width);
    n += 49L * 3 * cin * h * h;
    h /= 2;
    for (int s = 0; s < ResNet48Arch.STAGES; s++) {
      int cout = arch.outChannels(s, width);
      for (int b = 0; b < arch.depth(s); b++) {
        int stride = b == 0 && s > 0 ? 2 : 1;
        int ho = h / stride;
        int mid = arch.midChannels(s, b, width);
        n += 9L * cin * mid * ho * ho + 9L * mid * cout * ho * ho;
        if (stride == 2) {
          n += (long) cin * cout * ho * ho;
        }
        h = ho;
        cin = cout;
      }
    }
    return n + (long) cin * classes + classes;
  }

  /** {@code arch} at {@code side} px, as the proxies score it: its stand-alone network's parameters. */
  public static SubnetModel subnet(ResNet48Arch arch, int side, int classes) {
    return subnet(arch, side, classes, 1);
  }

  /** As {@link #subnet(ResNet48Arch, int, int)} with base widths scaled by {@code width}. */
  public static SubnetModel subnet(ResNet48Arch arch, int side, int classes, double width) {
    checkResolution(side);
    return new Subnet(standalone(arch, classes, width), arch, ResNet48Space.id(arch), side);
  }

  /** Logits of {@code arch} for the batch {@code x} (N x 3 x H x W, H and W multiples of 32). */
  public NDArray forward(Weights w, ResNet48Arch arch, NDArray x, ForwardOptions o) {
    NDArray f = features(w, arch, x, o);
    Shape s = f.getShape();
    NDArray pooled = f.reshape(s.get(0), s.get(1), -1).mean(new int[] {2});
    String fc = "blocks." + HEAD + ".fc";
    NDArray weight = sliced(w.get(fc + ".weight"), classes, pooled.getShape().get(1));
    NDArray bias = sliced(w.get(fc + ".bias"), classes, -1);
    return o.observer().layerOutput(fc, Linear.linear(pooled, weight, bias).head());
  }

  /** The last block's output, before global pooling (Zen-NAS's feature map). */
  public NDArray features(Weights w, ResNet48Arch arch, NDArray x, ForwardOptions o) {
    checkArch(arch);
    NDArray h = conv(w, x, "blocks.0.conv", arch.stemChannels(width), 2, 3, o);
    h = relu(bn(w, h, "blocks.0.bn", o), o);
    h = Pool.maxPool2d(h, new Shape(3, 3), new Shape(2, 2), new Shape(1, 1), false);
    int slot = 1;
    for (int s = 0; s < ResNet48Arch.STAGES; s++) {
      for (int b = 0; b < ResNet48Arch.slots(s); b++, slot++) {
        if (b < arch.depth(s)) {
          String p = "blocks." + slot;
          int stage = s;
          int block = b;
          h = scoped(h, in -> block(w, arch, stage, block, in, p, o));
        }
      }
    }
    return h;
  }

  private void checkArch(ResNet48Arch arch) {
    if (fixed != null && !fixed.equals(arch)) {
      throw new IllegalArgumentException("this stand-alone network is " + fixed + ", not " + arch);
    }
  }

  private NDArray block(Weights w, ResNet48Arch a, int s, int b, NDArray x, String p, ForwardOptions o) {
    boolean down = b == 0 && s > 0;
    int stride = down ? 2 : 1;
    NDArray h = relu(bn(w, conv(w, x, p + ".conv1", a.midChannels(s, b, width), stride, 1, o), p + ".bn1", o), o);
    h = bn(w, conv(w, h, p + ".conv2", a.outChannels(s, width), 1, 1, o), p + ".bn2", o);
    NDArray identity = down
        ? bn(w, conv(w, x, p + ".downsample.0", a.outChannels(s, width), stride, 0, o), p + ".downsample.1", o)
        : x;
    return relu(h.add(identity), o);
  }

  /** Runs one block in its own scope and keeps only its output (see Nb201Network's scoped). */
  private static NDArray scoped(NDArray x, UnaryOperator<NDArray> block) {
    NDManager parent = x.getManager();
    try (NDManager sub = parent.newSubManager()) {
      x.tempAttach(sub);
      NDArray out = block.apply(x);
      out.attach(parent);
      return out;
    }
  }

  private static NDArray conv(Weights w, NDArray x, String layer, int cout, int stride, int pad,
      ForwardOptions o) {
    NDArray weight = sliced(w.get(layer + ".weight"), cout, x.getShape().get(1));
    NDArray out = Conv2d.conv2d(x, weight, null, new Shape(stride, stride), new Shape(pad, pad)).head();
    return o.observer().layerOutput(layer, out);
  }

  private static NDArray relu(NDArray x, ForwardOptions o) {
    o.observer().reluInput(x, false);
    return Activation.relu(x);
  }

  /** Affine BN over the input's channels, the first ones of a wider BN; dropped for synflow. */
  private static NDArray bn(Weights w, NDArray x, String name, ForwardOptions o) {
    if (o.synflow()) {
      return x;
    }
    long ch = x.getShape().get(1);
    NDManager m = x.getManager();
    NDArray gamma = sliced(w.get(name + ".weight"), ch, -1);
    NDArray beta = sliced(w.get(name + ".bias"), ch, -1);
    BnStats stats = o.bnStats();
    NDArray mean;
    NDArray var;
    boolean training = true;
    float momentum = 0f;
    if (stats == null) {
      mean = m.zeros(new Shape(ch), x.getDataType());
      var = m.ones(new Shape(ch), x.getDataType());
    } else {
      NDArray[] st = stats.of(name, ch, x.getDataType());
      mean = st[0];
      var = st[1];
      training = o.bnStatsMode() == BnStats.Mode.TRACK;
      momentum = training ? (float) (1 - stats.nextBatchWeight(name)) : 0f;
    }
    return BatchNorm.batchNorm(x, mean, var, gamma, beta, -1, momentum, BN_EPS, training).head();
  }

  /** The first {@code d0} x {@code d1} entries of {@code a} ({@code d1 < 0}: all of dimension 1). */
  private static NDArray sliced(NDArray a, long d0, long d1) {
    Shape s = a.getShape();
    boolean all0 = s.get(0) == d0;
    boolean all1 = d1 < 0 || s.get(1) == d1;
    if (all0 && all1) {
      return a;
    }
    return d1 < 0 ? a.get(new NDIndex(":{}", d0)) : a.get(new NDIndex(":{}, :{}", d0, d1));
  }

  private static List<ParamSpec> layout(ResNet48Arch arch, int classes, double width) {
    List<ParamSpec> out = new ArrayList<>();
    int cin = arch == null ? ResNet48Arch.maxChannels(0, width) : arch.stemChannels(width);
    conv(out, "blocks.0.conv", cin, 3, 7);
    bn(out, "blocks.0.bn", cin);
    int slot = 1;
    for (int s = 0; s < ResNet48Arch.STAGES; s++) {
      for (int b = 0; b < ResNet48Arch.slots(s); b++, slot++) {
        if (arch != null && b >= arch.depth(s)) {
          continue;
        }
        int mid = arch == null ? ResNet48Arch.maxChannels(s, width) : arch.midChannels(s, b, width);
        int cout = arch == null ? ResNet48Arch.maxChannels(s, width) : arch.outChannels(s, width);
        String p = "blocks." + slot;
        conv(out, p + ".conv1", mid, cin, 3);
        bn(out, p + ".bn1", mid);
        conv(out, p + ".conv2", cout, mid, 3);
        bn(out, p + ".bn2", cout);
        if (b == 0 && s > 0) {
          conv(out, p + ".downsample.0", cout, cin, 1);
          bn(out, p + ".downsample.1", cout);
        }
        cin = cout;
      }
    }
    String fc = "blocks." + HEAD + ".fc";
    out.add(new ParamSpec(fc + ".weight", new long[] {classes, cin}, Role.LINEAR_WEIGHT, cin, -1, -1));
    out.add(new ParamSpec(fc + ".bias", new long[] {classes}, Role.LINEAR_BIAS, cin, -1, -1));
    return out;
  }

  private static void conv(List<ParamSpec> out, String layer, int cout, int cin, int k) {
    out.add(new ParamSpec(layer + ".weight", new long[] {cout, cin, k, k}, Role.CONV_WEIGHT,
        cin * k * k, -1, -1));
  }

  private static void bn(List<ParamSpec> out, String layer, int c) {
    out.add(new ParamSpec(layer + ".weight", new long[] {c}, Role.BN_WEIGHT, 0, -1, -1));
    out.add(new ParamSpec(layer + ".bias", new long[] {c}, Role.BN_BIAS, 0, -1, -1));
  }

  /** One arch's stand-alone network at one input side, as a {@link SubnetModel}. */
  private record Subnet(ResNet48Network net, ResNet48Arch arch, long archId, int side)
      implements SubnetModel {
    @Override
    public List<ParamSpec> parameters() {
      return net.params;
    }

    @Override
    public ParamSpec parameter(String name) {
      ParamSpec p = net.byName.get(name);
      if (p == null) {
        throw new IllegalArgumentException("network has no parameter '" + name + "'");
      }
      return p;
    }

    @Override
    public boolean reached(String name) {
      return net.byName.containsKey(name);
    }

    @Override
    public int inputChannels() {
      return 3;
    }

    @Override
    public int inputSize() {
      return side;
    }

    @Override
    public NDArray forward(Weights w, NDArray x, ForwardOptions o) {
      return net.forward(w, arch, x, o);
    }

    @Override
    public NDArray features(Weights w, NDArray x, ForwardOptions o) {
      return net.features(w, arch, x, o);
    }

    @Override
    public long parameterCount() {
      return net.parameterCount(arch);
    }

    @Override
    public long macs() {
      return net.macs(arch, side);
    }
  }
}
