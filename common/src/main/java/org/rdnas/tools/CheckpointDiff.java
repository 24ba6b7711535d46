package org.rdnas.tools;

import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.Path;
import org.rdnas.train.Checkpoint;

/**
 * Compares two checkpoints: step, weights and momentum, bit for bit. Prints the verdict and, when
 * they differ, how much; exits 0 only when they are identical. The fault-injection script uses it
 * to show that a run which lost an executor ends where an undisturbed run ends.
 *
 * <pre>  CheckpointDiff A.ckpt B.ckpt</pre>
 * (any Hadoop FileSystem paths)
 */
public final class CheckpointDiff {
  private CheckpointDiff() {}

  public static void main(String[] args) throws IOException {
    if (args.length != 2) {
      System.err.println("usage: CheckpointDiff A.ckpt B.ckpt");
      System.exit(2);
    }
    Checkpoint a = read(args[0]);
    Checkpoint b = read(args[1]);
    String verdict = compare(a, b);
    System.out.println(verdict);
    System.exit(verdict.startsWith("identical") ? 0 : 1);
  }

  /** "identical: ..." or "different: ..." with the step and the largest differences. */
  public static String compare(Checkpoint a, Checkpoint b) {
    if (a.step() != b.step()) {
      return "different: steps " + a.step() + " and " + b.step();
    }
    float[] wa = a.weights();
    float[] wb = b.weights();
    if (wa.length != wb.length) {
      return "different: " + wa.length + " and " + wb.length + " parameters";
    }
    String w = diff(wa, wb);
    String m = diff(a.momentum(), b.momentum());
    if (w == null && m == null) {
      return "identical: step " + a.step() + ", all " + wa.length
          + " weights and momentum values equal bit for bit";
    }
    return "different at step " + a.step() + ": weights " + (w == null ? "equal" : w)
        + "; momentum " + (m == null ? "equal" : m);
  }

  private static String diff(float[] x, float[] y) {
    int differing = 0;
    double max = 0;
    for (int i = 0; i < x.length; i++) {
      if (Float.floatToRawIntBits(x[i]) != Float.floatToRawIntBits(y[i])) {
        differing++;
        max = Math.max(max, Math.abs((double) x[i] - y[i]));
      }
    }
    return differing == 0 ? null : String.format(Locale.ROOT,
        "%d of %d values differ, largest absolute difference %.3g", differing, x.length, max);
  }

  private static Checkpoint read(String path) throws IOException {
    Path p = new Path(path);
    FileSystem fs = p.getFileSystem(new Configuration());
    try (InputStream in = fs.open(p)) {
      return Checkpoint.read(in, p.toString());
    }
  }
}
