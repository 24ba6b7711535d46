package org.rdnas.space;

import java.io.BufferedReader;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.LongStream;
import org.rdnas.config.SpaceConfig;
import org.rdnas.nn.ResNet48Network;
import org.rdnas.nn.ResNet48Supernet;
import org.rdnas.nn.Supernet;
import org.rdnas.nn.SubnetModel;

/**
 * The ResNet-based space of the CVPR 2022 NAS challenge, Track 1 ({@link ResNet48Arch}), as a
 * {@link SearchSpace}. Its 3.9e17 archs have ids 0..size-1, a mixed-radix number: the four stage
 * output width indices, then per stage its depth and first-conv widths (fewer blocks first, block 1
 * most significant), so every id decodes to its code with no table. The distance is the authors'
 * Hamming distance over code digits 5 to 51 (the widths; resolution and depths left out), their
 * margin threshold 33. Sampling follows the authors' supernet sampler: each stage's depth uniform,
 * then every width index uniform over the stage's choices.
 */
public final class ResNet48Space implements SearchSpace {
  /** The authors' Hamming-distance threshold for rank-loss pairs in this space. */
  public static final double DISTANCE_THRESHOLD = 33;
  /** The configuration name. */
  public static final String NAME = "resnet48";

  private static final long[] STAGE_COUNT = new long[ResNet48Arch.STAGES];
  private static final long SIZE;

  static {
    long size = 1;
    for (int s = 0; s < ResNet48Arch.STAGES; s++) {
      size *= ResNet48Arch.maxIndex(s);
    }
    for (int s = 0; s < ResNet48Arch.STAGES; s++) {
      STAGE_COUNT[s] = depthOffset(s, ResNet48Arch.slots(s) + 1);
      size = Math.multiplyExact(size, STAGE_COUNT[s]);
    }
    SIZE = size;
  }

  private final int resolution;
  private final int classes;
  private final double width;

  private ResNet48Space(int resolution, int classes, double width) {
    this.resolution = resolution;
    this.classes = classes;
    this.width = width;
  }

  /** The space with networks for {@code resolution} px images (a multiple of 32) and {@code classes}. */
  public static ResNet48Space of(int resolution, int classes) {
    return of(resolution, classes, 1);
  }

  /** As {@link #of(int, int)} with the challenge's base widths scaled by {@code width}, in (0, 1]. */
  public static ResNet48Space of(int resolution, int classes, double width) {
    ResNet48Network.checkResolution(resolution);
    ResNet48Network.checkWidth(width);
    if (classes < 1) {
      throw new IllegalArgumentException("classes must be >= 1, got " + classes);
    }
    return new ResNet48Space(resolution, classes, width);
  }

  public int resolution() {
    return resolution;
  }

  /** Number of classes the networks' last layer scores. */
  public int classes() {
    return classes;
  }

  /** Local numbers of stage {@code s} before those of depth {@code d}: sum of m^k for k in 2..d-1. */
  private static long depthOffset(int s, int d) {
    long m = ResNet48Arch.maxIndex(s);
    long off = 0;
    long p = m * m;
    for (int k = ResNet48Arch.MIN_DEPTH; k < d; k++, p *= m) {
      off += p;
    }
    return off;
  }

  /** The id of {@code a}. */
  public static long id(ResNet48Arch a) {
    long id = 0;
    for (int s = 0; s < ResNet48Arch.STAGES; s++) {
      id = id * ResNet48Arch.maxIndex(s) + (a.outIndex(s) - 1);
    }
    for (int s = 0; s < ResNet48Arch.STAGES; s++) {
      long m = ResNet48Arch.maxIndex(s);
      long local = 0;
      for (int b = 0; b < a.depth(s); b++) {
        local = local * m + (a.midIndex(s, b) - 1);
      }
      id = id * STAGE_COUNT[s] + depthOffset(s, a.depth(s)) + local;
    }
    return id;
  }

  /** The arch of {@code id} (0..size-1). */
  public static ResNet48Arch arch(long id) {
    if (id < 0 || id >= SIZE) {
      throw new IllegalArgumentException("ResNet48 arch id " + id + " is not in 0.." + (SIZE - 1));
    }
    int[] depths = new int[ResNet48Arch.STAGES];
    int[] outs = new int[ResNet48Arch.STAGES];
    int[][] mids = new int[ResNet48Arch.STAGES][];
    long v = id;
    for (int s = ResNet48Arch.STAGES - 1; s >= 0; s--) {
      long local = v % STAGE_COUNT[s];
      v /= STAGE_COUNT[s];
      int d = ResNet48Arch.MIN_DEPTH;
      while (depthOffset(s, d + 1) <= local) {
        d++;
      }
      local -= depthOffset(s, d);
      depths[s] = d;
      mids[s] = new int[d];
      int m = ResNet48Arch.maxIndex(s);
      for (int b = d - 1; b >= 0; b--) {
        mids[s][b] = (int) (local % m) + 1;
        local /= m;
      }
    }
    for (int s = ResNet48Arch.STAGES - 1; s >= 0; s--) {
      outs[s] = (int) (v % ResNet48Arch.maxIndex(s)) + 1;
      v /= ResNet48Arch.maxIndex(s);
    }
    return ResNet48Arch.of(depths, outs, mids);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public long size() {
    return SIZE;
  }

  @Override
  public long parse(String code) {
    return id(ResNet48Arch.parse(code));
  }

  @Override
  public String format(long id) {
    return arch(id).toString();
  }

  @Override
  public boolean contains(long id) {
    return id >= 0 && id < SIZE;
  }

  @Override
  public LongStream ids() {
    return LongStream.range(0, SIZE);
  }

  /** {@code n} distinct archs by the authors' sampler ({@link #sampleOne}), redrawing repeats. */
  @Override
  public long[] sample(int n, long seed) {
    if (n < 0) {
      throw new IllegalArgumentException("sample size " + n + " is negative");
    }
    SplittableRandom rng = new SplittableRandom(seed);
    Set<Long> seen = new HashSet<>(n * 2);
    long[] out = new long[n];
    for (int i = 0; i < n; ) {
      long id = sampleOne(rng);
      if (seen.add(id)) {
        out[i++] = id;
      }
    }
    return out;
  }

  /** Each stage's depth uniform, then every width index uniform over the stage's choices. */
  @Override
  public long sampleOne(SplittableRandom rng) {
    int[] depths = new int[ResNet48Arch.STAGES];
    int[] outs = new int[ResNet48Arch.STAGES];
    int[][] mids = new int[ResNet48Arch.STAGES][];
    for (int s = 0; s < ResNet48Arch.STAGES; s++) {
      depths[s] = ResNet48Arch.MIN_DEPTH + rng.nextInt(ResNet48Arch.slots(s) - ResNet48Arch.MIN_DEPTH + 1);
      outs[s] = 1 + rng.nextInt(ResNet48Arch.maxIndex(s));
      mids[s] = new int[depths[s]];
      for (int b = 0; b < depths[s]; b++) {
        mids[s][b] = 1 + rng.nextInt(ResNet48Arch.maxIndex(s));
      }
    }
    return id(ResNet48Arch.of(depths, outs, mids));
  }

  /** The authors' Hamming distance: differing code digits from digit 5 (the stem width) on. */
  @Override
  public double distance(long a, long b) {
    String x = format(a);
    String y = format(b);
    int d = 0;
    for (int i = 5; i < ResNet48Arch.CODE_LENGTH; i++) {
      if (x.charAt(i) != y.charAt(i)) {
        d++;
      }
    }
    return d;
  }

  @Override
  public double distanceThreshold() {
    return DISTANCE_THRESHOLD;
  }

  @Override
  public SubnetModel subnet(long id) {
    return ResNet48Network.subnet(arch(id), resolution, classes, width);
  }

  @Override
  public Supernet supernet() {
    return new ResNet48Supernet(ResNet48Network.supernet(classes, width), resolution);
  }

  /**
   * The challenge's candidate file: CSV with a header and columns {@code name,arch} (the codes in
   * the second column), as {@code track1_test_archs.csv}; lines starting with {@code #} and blank
   * lines are skipped. Returns the ids in file order; a malformed line is an error naming it.
   */
  public static List<Long> readCsv(BufferedReader r, String origin) throws IOException {
    List<Long> ids = new ArrayList<>();
    String line = r.readLine();
    if (line == null || !line.strip().equals("name,arch")) {
      throw new IOException(origin + ": expected the header 'name,arch', found '" + line + "'");
    }
    int lineNo = 1;
    while ((line = r.readLine()) != null) {
      lineNo++;
      String s = line.strip();
      if (s.isEmpty() || s.startsWith("#")) {
        continue;
      }
      int comma = s.indexOf(',');
      try {
        ids.add(id(ResNet48Arch.parse(comma < 0 ? s : s.substring(comma + 1))));
      } catch (IllegalArgumentException e) {
        throw new IOException(origin + " line " + lineNo + ": " + e.getMessage(), e);
      }
    }
    return ids;
  }

  @Override
  public String toString() {
    return NAME + "@" + resolution + "px" + (width == 1 ? "" : ", width " + width);
  }

  /** Builds {@code resnet48} from {@code rdnas.space} (its resolution) and the dataset's class count. */
  public static final class Provider implements SearchSpace.Provider {
    @Override
    public List<String> names() {
      return List.of(NAME);
    }

    @Override
    public SearchSpace create(SpaceConfig c, int classes) {
      return of(c.resolution(), classes, c.width());
    }
  }
}
