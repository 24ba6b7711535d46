package org.rdnas.proxy;

/**
 * One proxy's result for one arch: the value, {@code ok} or {@code failed} with the reason (a NaN,
 * an infinity, an exception or the arch's time budget running out; a failed value is NaN, never stored
 * as a score), and the milliseconds it took.
 */
public record ProxyScore(String proxy, double value, boolean ok, String error, double millis) {
  public ProxyScore {
    if (ok && !Double.isFinite(value)) {
      throw new IllegalArgumentException(proxy + ": an ok score must be finite, got " + value);
    }
  }

  static ProxyScore ok(String proxy, double value, double millis) {
    return new ProxyScore(proxy, value, true, "", millis);
  }

  static ProxyScore failed(String proxy, String error, double millis) {
    return new ProxyScore(proxy, Double.NaN, false, error, millis);
  }
}
