package org.clusterbackup.core.schedule;

import java.time.Instant;
import java.util.Objects;
import org.clusterbackup.core.model.TargetState;

/**
 * A target's place in the schedule, as {@link BackupScheduler#status} reports it.
 *
 * @param state scheduled, running or retrying
 * @param nextRunAt when something next happens to it: for {@code SCHEDULED} the next due time (in the past
 *        when it waits for a free run slot); for {@code RETRYING} the next probe of its node (or, once a
 *        probe answered, when its retry run was queued); for {@code RUNNING} null, because the next due
 *        time depends on how the run ends. A manual run waiting for a slot reports when it was asked for.
 */
public record TargetStatus(TargetState state, Instant nextRunAt) {
    public TargetStatus {
        Objects.requireNonNull(state, "state");
        if ((state == TargetState.RUNNING) != (nextRunAt == null)) {
            throw new IllegalArgumentException(
                    "nextRunAt must be null exactly when RUNNING; state was " + state + ", nextRunAt " + nextRunAt);
        }
    }
}
