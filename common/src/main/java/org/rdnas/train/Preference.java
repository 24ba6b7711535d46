package org.rdnas.train;

/** Which subnet of a margin-sampled pair (a, b) the teacher ranks higher. */
public enum Preference {
  /** a ranks at least as high as b (the authors' code sends ties here). */
  A,
  /** b ranks strictly higher than a. */
  B
}
