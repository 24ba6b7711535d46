package org.rdnas.scoring;

import java.util.Optional;

/**
 * What a run of {@link ProxyScoringJob} did: where the table is, how many of the candidates were
 * already in it, how many archs this run scored (and how many of those failed), the table's size
 * afterwards, and the correlation report when ground truth was configured.
 */
public record ScoringOutcome(String table, int candidates, long alreadyScored, long scoredNow,
    long failedNow, long tableRows, long tableFailed, Optional<CorrelationReport> correlation) {}
