package org.rdnas.proxy;

/** Dense double-precision linear algebra for the small (batch x batch) matrices of jacob_cov and NASWOT. */
final class SmallLinalg {
  private SmallLinalg() {}

  /** numpy.corrcoef of the rows of {@code x}; NaN entries where a row is constant, as numpy gives. */
  static double[][] corrcoef(double[][] x) {
    int n = x.length;
    int d = x[0].length;
    double[][] c = new double[n][];
    for (int i = 0; i < n; i++) {
      double mean = 0;
      for (double v : x[i]) {
        mean += v;
      }
      mean /= d;
      c[i] = new double[d];
      for (int k = 0; k < d; k++) {
        c[i][k] = x[i][k] - mean;
      }
    }
    double[][] cov = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = i; j < n; j++) {
        double s = 0;
        for (int k = 0; k < d; k++) {
          s += c[i][k] * c[j][k];
        }
        cov[i][j] = s;
        cov[j][i] = s;
      }
    }
    double[][] r = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        r[i][j] = cov[i][j] / Math.sqrt(cov[i][i] * cov[j][j]);
      }
    }
    return r;
  }

  /**
   * Eigenvalues of the symmetric matrix {@code a} (cyclic Jacobi rotations), ascending, to about
   * machine precision times its norm.
   */
  static double[] symmetricEigenvalues(double[][] a) {
    int n = a.length;
    double[][] m = new double[n][];
    double norm2 = 0;
    for (int i = 0; i < n; i++) {
      m[i] = a[i].clone();
      for (double v : m[i]) {
        if (!Double.isFinite(v)) {
          throw new ArithmeticException("matrix has a non-finite entry");
        }
        norm2 += v * v;
      }
    }
    // Converged when the off-diagonal part is below 1e-17 of the norm: relative, since AZ-NAS's
    // matrices range from 1e-10 to 1e27 in scale.
    double tiny = 1e-34 * norm2;
    for (int sweep = 0; sweep < 100; sweep++) {
      double off = 0;
      for (int i = 0; i < n; i++) {
        for (int j = i + 1; j < n; j++) {
          off += m[i][j] * m[i][j];
        }
      }
      if (off <= tiny) {
        break;
      }
      for (int p = 0; p < n; p++) {
        for (int q = p + 1; q < n; q++) {
          if (m[p][q] == 0) {
            continue;
          }
          double theta = (m[q][q] - m[p][p]) / (2 * m[p][q]);
          double t = Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
          if (theta == 0) {
            t = 1;
          }
          double c = 1 / Math.sqrt(t * t + 1);
          double s = t * c;
          for (int k = 0; k < n; k++) {
            double mkp = m[k][p];
            double mkq = m[k][q];
            m[k][p] = c * mkp - s * mkq;
            m[k][q] = s * mkp + c * mkq;
          }
          for (int k = 0; k < n; k++) {
            double mpk = m[p][k];
            double mqk = m[q][k];
            m[p][k] = c * mpk - s * mqk;
            m[q][k] = s * mpk + c * mqk;
          }
        }
      }
    }
    double[] ev = new double[n];
    for (int i = 0; i < n; i++) {
      ev[i] = m[i][i];
    }
    java.util.Arrays.sort(ev);
    return ev;
  }

  /** log |det a| by LU decomposition with partial pivoting; -infinity for a singular matrix. */
  static double logAbsDet(double[][] a) {
    int n = a.length;
    double[][] m = new double[n][];
    for (int i = 0; i < n; i++) {
      m[i] = a[i].clone();
    }
    double logDet = 0;
    for (int col = 0; col < n; col++) {
      int pivot = col;
      for (int r = col + 1; r < n; r++) {
        if (Math.abs(m[r][col]) > Math.abs(m[pivot][col])) {
          pivot = r;
        }
      }
      if (m[pivot][col] == 0) {
        return Double.NEGATIVE_INFINITY;
      }
      double[] tmp = m[col];
      m[col] = m[pivot];
      m[pivot] = tmp;
      double d = m[col][col];
      logDet += Math.log(Math.abs(d));
      for (int r = col + 1; r < n; r++) {
        double f = m[r][col] / d;
        if (f != 0) {
          for (int k = col; k < n; k++) {
            m[r][k] -= f * m[col][k];
          }
        }
      }
    }
    return logDet;
  }
}
