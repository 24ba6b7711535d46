package org.rdnas.config;

import java.io.Serializable;

/**
 * The search job 2 ends with ({@code rdnas.search}): the trained supernet ranks a candidate set,
 * forward only on the held-out images with BN as {@code rdnas.eval} says, combined with the
 * teacher's ranking.
 *
 * @param candidates which architectures: none, the ranking table's, the whole space, a file's, or
 *     the eval archs (ranked by the final evaluation round's accuracies, no forward pass of its own)
 * @param file the file of arch strings when {@code candidates = file}; "" otherwise
 * @param supernetWeight w of the combined rank: w times the supernet's rank plus (1 - w) times the
 *     teacher's
 * @param topK how many of the best summary.json and the report name
 */
public record SearchConfig(Candidates candidates, String file, double supernetWeight, int topK)
    implements Serializable {
  static final Section<SearchConfig> SECTION = Section.of(SearchConfig.class, "rdnas.search",
      Key.choice("candidates", Candidates.class),
      Key.optionalString("file"),
      Key.number("supernet-weight", Key.closed(0, 1, "")),
      Key.integer("top-k", Key.atLeast(1)));

  /** Which architectures the trained supernet ranks. */
  public enum Candidates implements ConfigEnum { NONE, TABLE, SPACE, FILE, EVAL }

  public SearchConfig {
    file = file == null ? "" : file;
    Checks c = SECTION.check(candidates, file, supernetWeight, topK);
    if (candidates == Candidates.FILE && file.isBlank()) {
      c.fail("file", "must be set when rdnas.search.candidates = file");
    }
    c.throwIfAny();
  }
}
