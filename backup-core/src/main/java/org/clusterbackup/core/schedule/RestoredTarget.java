package org.clusterbackup.core.schedule;

import java.time.Instant;
import java.util.Objects;
import org.clusterbackup.core.model.TargetState;

/**
 * A target as the catalog remembers it at start-up: where its schedule stood when the server stopped.
 *
 * @param target the target
 * @param lastStart when its newest execution started, or null when it never ran
 * @param lastResult how that execution ended, or null when it never ran; {@code FAILED/UNREACHABLE}
 *        makes the target start as {@link TargetState#RETRYING}
 */
public record RestoredTarget(ScheduledTarget target, Instant lastStart, RunResult lastResult) {
    public RestoredTarget {
        Objects.requireNonNull(target, "target");
        if ((lastStart == null) != (lastResult == null)) {
            throw new IllegalArgumentException("[target " + target.id()
                    + "] lastStart and lastResult must both be given or both be null; were " + lastStart + " and "
                    + lastResult);
        }
    }

    /** A target that never ran. */
    public static RestoredTarget neverRun(ScheduledTarget target) {
        return new RestoredTarget(target, null, null);
    }
}
