package org.rdnas.space;

import java.util.Arrays;

/**
 * One architecture of the CVPR 2022 NAS challenge's ResNet-based space (Track 1, "ResNet48"): the
 * depth of each of four stages and the width of every conv, read from the challenge's 52-digit code.
 *
 * <p>The code, as all 45,000 challenge codes bear out: digit 0 the input resolution index (1 =
 * 224 px, the only one); digits 1-4 the stage depths (stages 1, 2, 4: 2..5 blocks; stage 3: 2..8);
 * digit 5 the stem conv's width index; then 23 block slots (5, 5, 8, 5 per stage), two digits each,
 * the width indices of the BasicBlock's two convs, {@code 00} beyond the stage's depth. A width
 * index k selects expand ratio k of [1.0, 0.95, 0.9, 0.85, 0.8, 0.75, 0.7] of the stage's base
 * channels (stem 64; stages 64, 128, 256, 512), rounded as PaddleSlim's {@code make_divisible(int(
 * ratio * base), 8)}: the RD-NAS authors' {@code ResOFA.active_specific_subnet} and PaddleSlim's
 * {@code SuperConv2D} (repository pprp/CVPR2022-NAS-competition-Track1-3th-solution). Indices in
 * use: stem, stages 1 and 2: 1..3; stage 3: 1..5; stage 4: 1..7. A stage's second convs all share
 * one index (identity shortcuts add equal widths) and stage 1's is the stem's (its first block has
 * no shortcut conv); this class refuses codes that break either rule, as no challenge code does.
 */
public final class ResNet48Arch {
  /** Digits in a code. */
  public static final int CODE_LENGTH = 52;
  /** Block slots of each stage: the supernet's depths. */
  static final int[] STAGE_SLOTS = {5, 5, 8, 5};
  /** Fewest blocks a stage has. */
  public static final int MIN_DEPTH = 2;
  /** Base channels of each stage (the largest width); the stem's is the first stage's. */
  static final int[] STAGE_BASE = {64, 128, 256, 512};
  /** The expand ratios a width index (1-based) selects. */
  static final double[] RATIOS = {1.0, 0.95, 0.9, 0.85, 0.8, 0.75, 0.7};
  /** The largest width index each stage uses (stage 1's also for the stem). */
  static final int[] MAX_INDEX = {3, 3, 5, 7};
  /** Block slots in all, the supernet's blocks. */
  public static final int SLOTS = 23;
  /** Stages. */
  public static final int STAGES = 4;

  private final int[] depths;
  private final int[] outs;
  private final int[][] mids;

  private ResNet48Arch(int[] depths, int[] outs, int[][] mids) {
    this.depths = depths;
    this.outs = outs;
    this.mids = mids;
  }

  /**
   * The arch with these stage depths, stage output width indices ({@code outs[0]} is also the
   * stem's) and first-conv width indices of each active block ({@code mids[s].length == depths[s]}).
   */
  public static ResNet48Arch of(int[] depths, int[] outs, int[][] mids) {
    if (depths.length != STAGES || outs.length != STAGES || mids.length != STAGES) {
      throw new IllegalArgumentException("a ResNet48 arch has " + STAGES + " stages");
    }
    int[][] m = new int[STAGES][];
    for (int s = 0; s < STAGES; s++) {
      if (depths[s] < MIN_DEPTH || depths[s] > STAGE_SLOTS[s]) {
        throw new IllegalArgumentException("stage " + (s + 1) + " depth " + depths[s] + " is not in "
            + MIN_DEPTH + ".." + STAGE_SLOTS[s]);
      }
      checkIndex(s, outs[s], "output width index");
      if (mids[s].length != depths[s]) {
        throw new IllegalArgumentException("stage " + (s + 1) + " has depth " + depths[s] + " but "
            + mids[s].length + " first-conv widths");
      }
      for (int v : mids[s]) {
        checkIndex(s, v, "first-conv width index");
      }
      m[s] = mids[s].clone();
    }
    return new ResNet48Arch(depths.clone(), outs.clone(), m);
  }

  private static void checkIndex(int stage, int v, String what) {
    if (v < 1 || v > MAX_INDEX[stage]) {
      throw new IllegalArgumentException("stage " + (stage + 1) + " " + what + " " + v + " is not in 1.."
          + MAX_INDEX[stage]);
    }
  }

  /**
   * Parses a 52-digit challenge code.
   *
   * @throws IllegalArgumentException naming the code and what is wrong with it
   */
  public static ResNet48Arch parse(String code) {
    if (code == null) {
      throw new IllegalArgumentException("ResNet48 code is null");
    }
    String c = code.strip();
    if (c.length() != CODE_LENGTH) {
      throw bad(code, "has " + c.length() + " characters, a code has " + CODE_LENGTH);
    }
    for (int i = 0; i < CODE_LENGTH; i++) {
      if (c.charAt(i) < '0' || c.charAt(i) > '9') {
        throw bad(code, "character " + i + " '" + c.charAt(i) + "' is not a digit");
      }
    }
    if (c.charAt(0) != '1') {
      throw bad(code, "resolution index " + c.charAt(0) + " is not 1 (224 px, the space's only one)");
    }
    int[] depths = new int[STAGES];
    int[] outs = new int[STAGES];
    int[][] mids = new int[STAGES][];
    int stem = c.charAt(5) - '0';
    int pos = 6;
    for (int s = 0; s < STAGES; s++) {
      depths[s] = c.charAt(1 + s) - '0';
      if (depths[s] < MIN_DEPTH || depths[s] > STAGE_SLOTS[s]) {
        throw bad(code, "stage " + (s + 1) + " depth " + depths[s] + " is not in " + MIN_DEPTH + ".."
            + STAGE_SLOTS[s]);
      }
      mids[s] = new int[depths[s]];
      for (int b = 0; b < STAGE_SLOTS[s]; b++, pos += 2) {
        int first = c.charAt(pos) - '0';
        int second = c.charAt(pos + 1) - '0';
        String where = "stage " + (s + 1) + " block " + (b + 1) + " (characters " + pos + "-" + (pos + 1) + ")";
        if (b >= depths[s]) {
          if (first != 0 || second != 0) {
            throw bad(code, where + " is beyond the stage's depth " + depths[s] + " but is not 00");
          }
          continue;
        }
        for (int v : new int[] {first, second}) {
          if (v < 1 || v > MAX_INDEX[s]) {
            throw bad(code, where + " width index " + v + " is not in 1.." + MAX_INDEX[s]);
          }
        }
        mids[s][b] = first;
        if (b == 0) {
          outs[s] = second;
        } else if (second != outs[s]) {
          throw bad(code, where + " second-conv width index " + second + " differs from the stage's "
              + outs[s] + " (identity shortcuts add equal widths)");
        }
      }
    }
    if (stem < 1 || stem > MAX_INDEX[0]) {
      throw bad(code, "stem width index " + stem + " is not in 1.." + MAX_INDEX[0]);
    }
    if (stem != outs[0]) {
      throw bad(code, "stem width index " + stem + " differs from stage 1's output width index "
          + outs[0] + " (stage 1's first block adds the stem's output unchanged)");
    }
    return new ResNet48Arch(depths, outs, mids);
  }

  private static IllegalArgumentException bad(String code, String why) {
    return new IllegalArgumentException("malformed ResNet48 code '" + code + "': " + why);
  }

  /** The sandwich rule's largest subnet: every stage at full depth, every conv at its widest. */
  public static ResNet48Arch largest() {
    return uniform(true);
  }

  /** The sandwich rule's smallest subnet: two blocks per stage, every conv at its narrowest. */
  public static ResNet48Arch smallest() {
    return uniform(false);
  }

  private static ResNet48Arch uniform(boolean large) {
    int[] depths = new int[STAGES];
    int[] outs = new int[STAGES];
    int[][] mids = new int[STAGES][];
    for (int s = 0; s < STAGES; s++) {
      depths[s] = large ? STAGE_SLOTS[s] : MIN_DEPTH;
      outs[s] = large ? 1 : MAX_INDEX[s];
      mids[s] = new int[depths[s]];
      Arrays.fill(mids[s], outs[s]);
    }
    return of(depths, outs, mids);
  }

  /** Blocks of stage {@code s} (0-based). */
  public int depth(int s) {
    return depths[s];
  }

  /** Output width index of stage {@code s}; stage 0's is also the stem's. */
  public int outIndex(int s) {
    return outs[s];
  }

  /** First-conv width index of block {@code b} of stage {@code s}. */
  public int midIndex(int s, int b) {
    return mids[s][b];
  }

  /** Output channels of the stem conv. */
  public int stemChannels() {
    return stemChannels(1);
  }

  /** Output channels of the stem conv with every base width scaled by {@code width}. */
  public int stemChannels(double width) {
    return channels(STAGE_BASE[0], outs[0], width);
  }

  /** Output channels of every block of stage {@code s} (its second convs and shortcut conv). */
  public int outChannels(int s) {
    return outChannels(s, 1);
  }

  /** As {@link #outChannels(int)} with every base width scaled by {@code width}. */
  public int outChannels(int s, double width) {
    return channels(STAGE_BASE[s], outs[s], width);
  }

  /** Output channels of the first conv of block {@code b} of stage {@code s}. */
  public int midChannels(int s, int b) {
    return midChannels(s, b, 1);
  }

  /** As {@link #midChannels(int, int)} with every base width scaled by {@code width}. */
  public int midChannels(int s, int b, double width) {
    return channels(STAGE_BASE[s], mids[s][b], width);
  }

  /** The largest channels of stage {@code s}: the supernet's. */
  public static int maxChannels(int s) {
    return STAGE_BASE[s];
  }

  /** The largest channels of stage {@code s} with its base width scaled by {@code width}. */
  public static int maxChannels(int s, double width) {
    return channels(STAGE_BASE[s], 1, width);
  }

  /** Block slots of stage {@code s}. */
  public static int slots(int s) {
    return STAGE_SLOTS[s];
  }

  /** The largest width index of stage {@code s} (stage 0's also the stem's). */
  public static int maxIndex(int s) {
    return MAX_INDEX[s];
  }

  /**
   * Channels of width index {@code index} (1-based) of base channels {@code base} scaled by
   * {@code width} (1 = the challenge's widths; a smaller width keeps the rounding to multiples of 8).
   */
  static int channels(int base, int index, double width) {
    return makeDivisible((int) (RATIOS[index - 1] * base * width), 8);
  }

  /** PaddleSlim's (and TensorFlow's) rounding to a multiple of {@code divisor}, never 10% down. */
  static int makeDivisible(int v, int divisor) {
    int n = Math.max(divisor, (int) (v + divisor / 2.0) / divisor * divisor);
    return n < 0.9 * v ? n + divisor : n;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ResNet48Arch a && Arrays.equals(a.depths, depths) && Arrays.equals(a.outs, outs)
        && Arrays.deepEquals(a.mids, mids);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(depths) * 31 + Arrays.deepHashCode(mids) * 7 + Arrays.hashCode(outs);
  }

  /** The 52-digit challenge code. */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder(CODE_LENGTH).append('1');
    for (int d : depths) {
      sb.append(d);
    }
    sb.append(outs[0]);
    for (int s = 0; s < STAGES; s++) {
      for (int b = 0; b < STAGE_SLOTS[s]; b++) {
        sb.append(b < depths[s] ? "" + mids[s][b] + outs[s] : "00");
      }
    }
    return sb.toString();
  }
}
