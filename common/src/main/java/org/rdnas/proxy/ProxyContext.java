package org.rdnas.proxy;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.rdnas.nn.Autograd;
import org.rdnas.nn.CrossEntropy;
import org.rdnas.nn.ForwardObserver;
import org.rdnas.nn.ForwardOptions;
import org.rdnas.nn.Nb201Network;
import org.rdnas.nn.Nb201Subnet;
import org.rdnas.nn.ParamSpec;
import org.rdnas.nn.SubnetModel;
import org.rdnas.nn.Weights;
import org.rdnas.space.Arch;
import org.rdnas.util.Seeds;

/**
 * Everything a proxy may read while scoring one arch: the network (search-cell convention), the arch,
 * the minibatch (and ZiCo's second one), the initial weights, and the random draws of Zen, SWAP and
 * AZ-NAS, all derived from (seed, arch id) unless given, and one NDManager scope that the caller closes
 * after scoring. Also shares work between proxies: the cross-entropy backward pass that snip, grad_norm,
 * fisher and grasp all start from, and results several proxies read ({@link #shared}).
 * Not thread-safe: one context per arch per thread.
 */
public final class ProxyContext implements AutoCloseable {
  private final SubnetModel model;
  private final Nb201Subnet nb201;
  private final NDManager scope;
  private final DataType precision;
  private final long seed;
  private final NDArray images;
  private final NDArray labels;
  private final NDArray images2;
  private final NDArray labels2;
  private final List<Weights> givenSwapWeights;
  private final Weights givenAzWeights;
  private final NDArray givenAzInput;
  private final NDArray[] givenAzMasks;
  private final Map<Class<?>, Object> shared = new HashMap<>();
  private Weights initial;
  private Weights zenWeights;
  private NDArray[] zenInputs;
  private LossGradients lossGradients;

  private final double swapRegMu;
  private final double swapRegSigma;

  private ProxyContext(Builder b) {
    this.swapRegMu = b.swapRegMu;
    this.swapRegSigma = b.swapRegSigma;
    this.model = b.model;
    this.nb201 = b.model instanceof Nb201Subnet n ? n : null;
    this.scope = b.parent.newSubManager();
    this.precision = b.precision;
    this.seed = b.seed;
    this.images = b.images == null ? null : Weights.ownedCopy(b.images, precision);
    this.labels = b.labels == null ? null : Weights.ownedCopy(b.labels, DataType.INT64);
    if (images != null) {
      images.attach(scope);
      labels.attach(scope);
    }
    this.images2 = b.images2 == null ? null : Weights.ownedCopy(b.images2, precision);
    this.labels2 = b.labels2 == null ? null : Weights.ownedCopy(b.labels2, DataType.INT64);
    if (images2 != null) {
      images2.attach(scope);
      labels2.attach(scope);
    }
    this.givenSwapWeights = new ArrayList<>();
    for (Weights w : b.swapWeights) {
      givenSwapWeights.add(w.copy(scope, DataType.FLOAT32));
    }
    this.givenAzWeights = b.azWeights == null ? null : b.azWeights.copy(scope, DataType.FLOAT32);
    this.givenAzInput = b.azInput == null ? null : owned(b.azInput, DataType.FLOAT32, scope);
    this.givenAzMasks = b.azMasks == null ? null : new NDArray[b.azMasks.length];
    for (int i = 0; givenAzMasks != null && i < givenAzMasks.length; i++) {
      givenAzMasks[i] = owned(b.azMasks[i], DataType.FLOAT32, scope);
    }
    if (b.initial != null) {
      this.initial = b.initial.copy(scope, DataType.FLOAT32);
    }
    if (b.zenWeights != null) {
      this.zenWeights = b.zenWeights.copy(scope, DataType.FLOAT32);
    }
    if (b.zenInputs != null) {
      this.zenInputs = new NDArray[] {
          Weights.ownedCopy(b.zenInputs[0], DataType.FLOAT32), Weights.ownedCopy(b.zenInputs[1], DataType.FLOAT32)};
      zenInputs[0].attach(scope);
      zenInputs[1].attach(scope);
    }
  }

  /** mu of swap_reg's parameter prior, in thousands of parameters. */
  public double swapRegMu() {
    return swapRegMu;
  }

  /** sigma of swap_reg's parameter prior, in squared thousands of parameters. */
  public double swapRegSigma() {
    return swapRegSigma;
  }

  /** Starts a context for {@code arch} of {@code network}, with arrays under {@code parent}. */
  public static Builder builder(NDManager parent, Nb201Network network, Arch arch) {
    return new Builder(parent, Nb201Subnet.of(network, arch));
  }

  /** Starts a context for the arch {@code model} of any search space, with arrays under {@code parent}. */
  public static Builder builder(NDManager parent, SubnetModel model) {
    return new Builder(parent, model);
  }

  /** The network being scored, whatever its space: what architecture-generic proxies read. */
  public SubnetModel model() {
    return model;
  }

  /**
   * The NAS-Bench-201 network, for the proxies defined on its cells only (GraSP's tangents, MeCo's
   * module tree, SWAP, AZ-NAS, ZiCo); an error for an arch of another space.
   */
  public Nb201Network network() {
    return nb201().network();
  }

  /** The NAS-Bench-201 arch; an error for an arch of another space. */
  public Arch arch() {
    return nb201().arch();
  }

  /** The same network in the benchmark's convention; an error for an arch of another space. */
  public Nb201Network benchmarkNetwork() {
    return nb201().benchmarkNetwork();
  }

  private Nb201Subnet nb201() {
    if (nb201 == null) {
      throw new IllegalStateException("this proxy is defined on NAS-Bench-201 networks only; arch "
          + model.archId() + " is a " + model.getClass().getSimpleName());
    }
    return nb201;
  }

  /** The scope every array of this scoring lives in. */
  public NDManager scope() {
    return scope;
  }

  /** The floating-point type the data-driven proxies compute in. */
  public DataType precision() {
    return precision;
  }

  public NDArray images() {
    if (images == null) {
      throw new IllegalStateException("this scoring was given no minibatch");
    }
    return images;
  }

  /** The minibatch size, or that of Zen's inputs when no minibatch was given (64). */
  public int batchSize() {
    return images == null ? 64 : (int) images.getShape().get(0);
  }

  public NDArray labels() {
    images();
    return labels;
  }

  /** The second minibatch's images, distinct from the first's. */
  public NDArray secondImages() {
    if (images2 == null) {
      throw new IllegalStateException("this scoring was given no second minibatch (ZiCo needs two)");
    }
    return images2;
  }

  public NDArray secondLabels() {
    secondImages();
    return labels2;
  }

  /** A fresh copy of the arch's initial weights in {@code type}, in a new scope under {@code parent}. */
  public Weights initialWeights(NDManager parent, DataType type) {
    if (initial == null) {
      initial = Weights.initialize(scope, model.parameters(), Seeds.mix(seed, model.archId(), 1),
          Weights.Init.PYTORCH_DEFAULT, DataType.FLOAT32);
    }
    return initial.copy(parent, type);
  }

  /** The conv and linear weights the arch runs: the layers proxies sum over, in network order. */
  public List<ParamSpec> layerWeights() {
    List<ParamSpec> out = new ArrayList<>();
    for (ParamSpec p : model.parameters()) {
      if (p.role().isLayerWeight()) {
        out.add(p);
      }
    }
    return out;
  }

  /**
   * Whether a backward pass from this arch's logits reaches the parameter named {@code name}
   * ({@link SubnetModel#reached}), which decides whether it must have a gradient.
   */
  public boolean reached(String name) {
    return model.reached(name);
  }

  /** Zen-NAS's re-initialised weights: conv and linear N(0, 1), biases 0, BN 1 and 0. */
  public Weights zenWeights() {
    if (zenWeights == null) {
      zenWeights = Weights.initialize(scope, model.parameters(), Seeds.mix(seed, model.archId(), 2),
          Weights.Init.GAUSSIAN, DataType.FLOAT32);
    }
    return zenWeights;
  }

  /** Zen-NAS's inputs: x1 ~ N(0, 1) and x2 = x1 + 0.01 N(0, 1), shaped like the minibatch. */
  public NDArray[] zenInputs(int batch) {
    if (zenInputs == null) {
      Shape shape = new Shape(batch, model.inputChannels(), model.inputSize(), model.inputSize());
      int n = Math.toIntExact(shape.size());
      SplittableRandom rng = new SplittableRandom(Seeds.mix(seed, model.archId(), 3));
      float[] x1 = new float[n];
      float[] x2 = new float[n];
      for (int i = 0; i < n; i++) {
        x1[i] = (float) Seeds.gaussian(rng);
      }
      for (int i = 0; i < n; i++) {
        x2[i] = x1[i] + 0.01f * (float) Seeds.gaussian(rng);
      }
      zenInputs = new NDArray[] {scope.create(x1, shape), scope.create(x2, shape)};
    }
    return zenInputs;
  }

  /** SWAP's repeats: as many as were given weights for, else {@code defaultRepeats}. */
  public int swapRepeats(int defaultRepeats) {
    return givenSwapWeights.isEmpty() ? defaultRepeats : givenSwapWeights.size();
  }

  /**
   * SWAP's re-initialised weights of {@code repeat}, for the arch in the benchmark's convention: conv and
   * linear N(0, 1), biases 0, BN 1 and 0; in a new scope under {@code parent}.
   */
  public Weights swapWeights(NDManager parent, int repeat, DataType type) {
    if (!givenSwapWeights.isEmpty()) {
      return givenSwapWeights.get(repeat).copy(parent, type);
    }
    return Weights.initialize(parent, benchmarkNetwork().parameters(arch()),
        Seeds.mix(seed, model.archId(), Seeds.hash("swap"), repeat), Weights.Init.GAUSSIAN, type);
  }

  /**
   * AZ-NAS's re-initialised weights, for the arch in the benchmark's convention: conv and linear
   * kaiming-normal N(0, 2 / fan_in), biases 0, BN 1 and 0; in a new scope under {@code parent}.
   */
  public Weights azNasWeights(NDManager parent, DataType type) {
    if (givenAzWeights != null) {
      return givenAzWeights.copy(parent, type);
    }
    return Weights.initialize(parent, benchmarkNetwork().parameters(arch()),
        Seeds.mix(seed, model.archId(), Seeds.hash("az_nas"), 0), Weights.Init.KAIMING_NORMAL, type);
  }

  /** AZ-NAS's input: N(0, 1) images shaped like the minibatch ({@link #batchSize()}), in {@code m}. */
  public NDArray azNasInput(NDManager m, DataType type) {
    if (givenAzInput != null) {
      return owned(givenAzInput, type, m);
    }
    Shape shape = new Shape(batchSize(), model.inputChannels(), model.inputSize(), model.inputSize());
    SplittableRandom rng = new SplittableRandom(Seeds.mix(seed, model.archId(), Seeds.hash("az_nas"), 1));
    float[] x = new float[Math.toIntExact(shape.size())];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) Seeds.gaussian(rng);
    }
    return owned(m.create(x, shape), type, m);
  }

  /**
   * AZ-NAS's sign mask of feature map {@code i} (1 to 17): independent +-1 entries, each with
   * probability 1/2, shaped {@code shape}, in {@code m}.
   */
  public NDArray azNasMask(NDManager m, int i, Shape shape, DataType type) {
    if (givenAzMasks != null) {
      NDArray g = givenAzMasks[i - 1];
      if (!g.getShape().equals(shape)) {
        throw new IllegalArgumentException("AZ-NAS mask " + i + " has shape " + g.getShape()
            + ", feature map " + i + " has " + shape);
      }
      return owned(g, type, m);
    }
    SplittableRandom rng = new SplittableRandom(Seeds.mix(seed, model.archId(), Seeds.hash("az_nas"), 1 + i));
    float[] v = new float[Math.toIntExact(shape.size())];
    for (int k = 0; k < v.length; k++) {
      v[k] = rng.nextBoolean() ? 1f : -1f;
    }
    return owned(m.create(v, shape), type, m);
  }

  /**
   * The result of {@code compute} for this context, computed on the first call and kept: work that
   * several proxies read (SWAP's counts for swap and swap_reg, AZ-NAS's one pass for its three parts).
   */
  <T> T shared(Class<T> type, java.util.function.Function<ProxyContext, T> compute) {
    Object v = shared.get(type);
    if (v == null) {
      v = compute.apply(this);
      shared.put(type, v);
    }
    return type.cast(v);
  }

  /** A copy of {@code a} in {@code type} that owns its memory, in {@code m}. */
  private static NDArray owned(NDArray a, DataType type, NDManager m) {
    NDArray c = Weights.ownedCopy(a, type);
    c.attach(m);
    return c;
  }

  /**
   * One train-mode forward and backward of the mean cross-entropy of the minibatch at the initial
   * weights (in {@link #precision()}), computed once and shared: gradients of the layer weights, and
   * every conv and linear layer's output with its gradient.
   */
  public LossGradients lossGradients() {
    if (lossGradients == null) {
      lossGradients = LossGradients.compute(this);
    }
    return lossGradients;
  }

  @Override
  public void close() {
    scope.close();
  }

  /** Gradients of the cross-entropy at the initial weights. */
  public static final class LossGradients {
    private final Map<String, NDArray> weights;
    private final Map<String, NDArray> weightGrads;
    private final Map<String, NDArray[]> layerOutputs;

    private LossGradients(Map<String, NDArray> weights, Map<String, NDArray> weightGrads,
        Map<String, NDArray[]> layerOutputs) {
      this.weights = weights;
      this.weightGrads = weightGrads;
      this.layerOutputs = layerOutputs;
    }

    static LossGradients compute(ProxyContext ctx) {
      NDManager s = ctx.scope;
      Weights w = ctx.initialWeights(s, ctx.precision);
      Map<String, NDArray> layer = new LinkedHashMap<>();
      for (ParamSpec p : ctx.layerWeights()) {
        layer.put(p.name(), w.get(p.name()));
      }
      Map<String, NDArray> probes = new LinkedHashMap<>();
      Map<String, NDArray> outputs = new LinkedHashMap<>();
      ForwardObserver probe = new ForwardObserver() {
        @Override
        public NDArray layerOutput(String name, NDArray out) {
          // A zero leaf added to the output: its gradient is dL/d(output), as a retain_grad() gives.
          NDArray z = out.zerosLike();
          z.setRequiresGradient(true);
          z.attach(s);
          out.attach(s);
          probes.put(name, z);
          outputs.put(name, out);
          return out.add(z);
        }
      };
      try (Autograd.Scope g = Autograd.enable()) {
        Autograd.requireGrad(layer.values());
        NDArray logits = ctx.model.forward(w, ctx.images(), ForwardOptions.train().optObserver(probe));
        Autograd.backward(CrossEntropy.mean(logits, ctx.labels()));
      }
      Map<String, NDArray> grads = new LinkedHashMap<>();
      for (Map.Entry<String, NDArray> e : layer.entrySet()) {
        grads.put(e.getKey(), Autograd.gradient(e.getValue(), s, ctx.reached(e.getKey())));
      }
      Map<String, NDArray[]> acts = new LinkedHashMap<>();
      for (Map.Entry<String, NDArray> e : outputs.entrySet()) {
        NDArray a = e.getValue().stopGradient();
        boolean reached = ctx.reached(e.getKey() + ".weight");
        acts.put(e.getKey(), new NDArray[] {a, Autograd.gradient(probes.get(e.getKey()), s, reached)});
      }
      Map<String, NDArray> detached = new LinkedHashMap<>();
      layer.forEach((k, v) -> detached.put(k, v.stopGradient()));
      return new LossGradients(detached, grads, acts);
    }

    /** Layer weight name to its value (detached). */
    public Map<String, NDArray> weights() {
      return weights;
    }

    /** Layer weight name to dL/dW. */
    public Map<String, NDArray> weightGradients() {
      return weightGrads;
    }

    /** Layer name (conv or linear) to {output, dL/d output}. */
    public Map<String, NDArray[]> layerOutputs() {
      return layerOutputs;
    }
  }

  /** Builds a {@link ProxyContext}; the seed defaults to 0, the precision to float32. */
  public static final class Builder {
    private final NDManager parent;
    private final SubnetModel model;
    private DataType precision = DataType.FLOAT32;
    private long seed;
    private double swapRegMu = SwapReg.MU;
    private double swapRegSigma = SwapReg.SIGMA;
    private NDArray images;
    private NDArray labels;
    private Weights initial;
    private Weights zenWeights;
    private NDArray[] zenInputs;
    private NDArray images2;
    private NDArray labels2;
    private final List<Weights> swapWeights = new ArrayList<>();
    private Weights azWeights;
    private NDArray azInput;
    private NDArray[] azMasks;

    private Builder(NDManager parent, SubnetModel model) {
      this.parent = parent;
      this.model = model;
    }

    /** The run seed; weights and Zen's inputs derive from (seed, arch id). */
    public Builder optSeed(long s) {
      this.seed = s;
      return this;
    }

    /** swap_reg's parameter prior (default {@link SwapReg#MU}, {@link SwapReg#SIGMA}). */
    public Builder optSwapRegPrior(double mu, double sigma) {
      if (!(mu >= 0 && Double.isFinite(mu)) || !(sigma > 0 && Double.isFinite(sigma))) {
        throw new IllegalArgumentException("swap_reg prior needs mu >= 0 and sigma > 0, got "
            + mu + ", " + sigma);
      }
      this.swapRegMu = mu;
      this.swapRegSigma = sigma;
      return this;
    }

    public Builder optPrecision(DataType t) {
      if (t != DataType.FLOAT32 && t != DataType.FLOAT64) {
        throw new IllegalArgumentException("proxy precision must be float32 or float64, got " + t);
      }
      this.precision = t;
      return this;
    }

    /** The minibatch (N x C x H x W images, N class labels); copied into the context's scope. */
    public Builder optBatch(NDArray x, NDArray y) {
      if (x.getShape().get(0) != y.getShape().get(0)) {
        throw new IllegalArgumentException("minibatch has " + x.getShape().get(0) + " images but "
            + y.getShape().get(0) + " labels");
      }
      this.images = x;
      this.labels = y;
      return this;
    }

    /** A second minibatch, for proxies that read two (ZiCo); copied into the context's scope. */
    public Builder optSecondBatch(NDArray x, NDArray y) {
      if (x.getShape().get(0) != y.getShape().get(0)) {
        throw new IllegalArgumentException("second minibatch has " + x.getShape().get(0) + " images but "
            + y.getShape().get(0) + " labels");
      }
      this.images2 = x;
      this.labels2 = y;
      return this;
    }

    /** Given SWAP weights, one set per repeat, instead of the seeded Gaussian ones (golden cases). */
    public Builder optSwapWeights(List<Weights> perRepeat) {
      this.swapWeights.clear();
      this.swapWeights.addAll(perRepeat);
      return this;
    }

    /** Given AZ-NAS draws instead of the seeded ones: weights, input and the masks of maps 1 to 17. */
    public Builder optAzNasDraws(Weights w, NDArray input, List<NDArray> masks) {
      this.azWeights = w;
      this.azInput = input;
      this.azMasks = masks.toArray(new NDArray[0]);
      return this;
    }

    /** Given initial weights instead of the seeded PyTorch-default ones (golden cases). */
    public Builder optInitialWeights(Weights w) {
      this.initial = w;
      return this;
    }

    /** Given Zen weights instead of the seeded Gaussian ones (golden cases). */
    public Builder optZenWeights(Weights w) {
      this.zenWeights = w;
      return this;
    }

    /** Given Zen inputs x1, x2 instead of the seeded ones (golden cases). */
    public Builder optZenInputs(NDArray x1, NDArray x2) {
      this.zenInputs = new NDArray[] {x1, x2};
      return this;
    }

    public ProxyContext build() {
      return new ProxyContext(this);
    }
  }
}
