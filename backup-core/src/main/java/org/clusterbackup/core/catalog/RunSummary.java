package org.clusterbackup.core.catalog;

import java.time.Instant;
import org.clusterbackup.core.model.FailureKind;
import org.clusterbackup.core.model.Outcome;

/**
 * How a target's runs have gone, for {@code list}.
 *
 * @param lastOutcome outcome of the last finished run, or null when none finished
 * @param lastSuccessAt end of the last STORED or UNCHANGED run, or null
 * @param lastFailureKind why the last finished run failed, if it did; else null
 */
public record RunSummary(Outcome lastOutcome, Instant lastSuccessAt, FailureKind lastFailureKind) {
    /** Without a failure kind. */
    public RunSummary(Outcome lastOutcome, Instant lastSuccessAt) {
        this(lastOutcome, lastSuccessAt, null);
    }
}
