package org.clusterbackup.core.catalog;

import java.time.Instant;
import org.clusterbackup.core.model.Outcome;

/**
 * Which executions to read, newest first: one target's or all, started within {@code [since, until)},
 * with one outcome, strictly older than a cursor, at most {@code limit}. Every bound is optional
 * ({@code null}); the filters are applied by the catalog, never by loading rows to drop them.
 *
 * @param targetId one target's executions, or {@code null} for every target's
 * @param since only runs started at or after this instant
 * @param until only runs started before this instant
 * @param outcome only runs in this state or with this ending
 * @param beforeId keyset cursor: only executions with a smaller id (the last id of the previous page)
 * @param limit at most this many; 0 for all
 */
public record ExecutionQuery(Long targetId, Instant since, Instant until, Outcome outcome, Long beforeId, int limit) {
    public ExecutionQuery {
        if (limit < 0) {
            throw new IllegalArgumentException("limit must be 0 (all) or positive: " + limit);
        }
        if (since != null && until != null && until.isBefore(since)) {
            throw new IllegalArgumentException("until " + until + " is before since " + since);
        }
    }

    /** The newest {@code limit} executions of one target ({@code null}: of all), 0 for all. */
    public static ExecutionQuery newest(Long targetId, int limit) {
        return new ExecutionQuery(targetId, null, null, null, null, limit);
    }

    /** The same query for the page after one that ended with execution {@code lastId}. */
    public ExecutionQuery after(long lastId) {
        return new ExecutionQuery(targetId, since, until, outcome, lastId, limit);
    }
}
