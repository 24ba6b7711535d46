package org.rdnas.experiment;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.rdnas.space.Arch;
import org.rdnas.space.Nb201Space;
import org.rdnas.util.Seeds;

/**
 * The architectures of an RD-NAS vs SPOS experiment, fixed before any training: the candidates job 1
 * scores (the pool the margin sampler draws teacher pairs from) and the eval archs every run is judged
 * on. The eval archs are a uniform subset of the candidates, so every proxy has a score for each of them
 * and "the proxies alone" are measured on exactly the archs the supernets are. Validation archs,
 * disjoint from the eval archs, serve investigations (why a gain does or does not show), so that no
 * setting is ever chosen by looking at the eval archs.
 *
 * @param candidates the archs to score, sorted by id
 * @param eval the eval archs, sorted by id, a subset of {@code candidates}
 * @param validation as many other candidates as there are eval archs (fewer when the candidates run
 *     out), sorted by id, disjoint from {@code eval}
 */
public record ExperimentPlan(List<Arch> candidates, List<Arch> eval, List<Arch> validation) {
  public ExperimentPlan {
    candidates = List.copyOf(candidates);
    eval = List.copyOf(eval);
    validation = List.copyOf(validation);
  }

  /**
   * Draws {@code candidateCount} distinct archs of {@code space} (all of them when it equals the
   * space's size), {@code evalCount} of those, and as many others for validation, all from
   * {@code seed} alone.
   *
   * @throws IllegalArgumentException when the counts do not fit the space or each other
   */
  public static ExperimentPlan draw(Nb201Space space, int candidateCount, int evalCount, long seed) {
    return draw(space, candidateCount, evalCount, seed, Set.of());
  }

  /**
   * As {@link #draw(Nb201Space, int, int, long)}, the candidates drawn uniformly among the archs
   * whose id is not in {@code excluded}: archs an earlier study looked at to choose a setting (the
   * teacher aggregate, say) must not judge it.
   */
  public static ExperimentPlan draw(Nb201Space space, int candidateCount, int evalCount, long seed,
      Set<Integer> excluded) {
    int allowed = space.size() - (int) excluded.stream().filter(id -> id >= 0 && id < space.size())
        .count();
    if (candidateCount < 1 || candidateCount > allowed) {
      throw new IllegalArgumentException("candidate count " + candidateCount + " is not in 1.."
          + allowed + " for space " + space.name() + (excluded.isEmpty() ? ""
              : " less its " + (space.size() - allowed) + " excluded archs"));
    }
    if (evalCount < 2 || evalCount > candidateCount) {
      throw new IllegalArgumentException("eval arch count " + evalCount + " is not in 2.."
          + candidateCount + " (the candidates)");
    }
    List<Arch> candidates = sorted(candidates(space, candidateCount, seed, excluded));
    // A partial Fisher-Yates shuffle: a uniform evalCount-subset of a uniform subset is uniform.
    List<Arch> pool = new ArrayList<>(candidates);
    SplittableRandom rng = new SplittableRandom(Seeds.mix(seed, Seeds.hash("eval archs")));
    int validationCount = Math.min(evalCount, candidateCount - evalCount);
    for (int i = 0; i < evalCount + validationCount; i++) {
      int j = i + rng.nextInt(pool.size() - i);
      Arch t = pool.get(i);
      pool.set(i, pool.get(j));
      pool.set(j, t);
    }
    return new ExperimentPlan(candidates, sorted(pool.subList(0, evalCount)),
        sorted(pool.subList(evalCount, evalCount + validationCount)));
  }

  // A uniform (n + excluded)-subset less the excluded archs is, by symmetry, a uniform subset of
  // the others of at least n archs; a seeded shuffle then keeps a uniform n of them.
  private static List<Arch> candidates(Nb201Space space, int n, long seed, Set<Integer> excluded) {
    long draw = Seeds.mix(seed, Seeds.hash("candidates"));
    if (excluded.isEmpty()) {
      return space.sample(n, draw);
    }
    List<Arch> kept = new ArrayList<>(sorted(
        space.sample(Math.min(space.size(), n + excluded.size()), draw)));
    kept.removeIf(a -> excluded.contains(a.id()));
    SplittableRandom rng = new SplittableRandom(Seeds.mix(seed, Seeds.hash("candidates kept")));
    for (int i = 0; i < n; i++) {
      int j = i + rng.nextInt(kept.size() - i);
      Arch t = kept.get(i);
      kept.set(i, kept.get(j));
      kept.set(j, t);
    }
    return kept.subList(0, n);
  }

  private static List<Arch> sorted(List<Arch> archs) {
    List<Arch> out = new ArrayList<>(archs);
    out.sort(Comparator.comparingInt(Arch::id));
    return out;
  }
}
