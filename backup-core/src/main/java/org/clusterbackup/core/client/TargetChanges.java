package org.clusterbackup.core.client;

import java.util.List;
import java.util.Objects;
import org.clusterbackup.core.protocol.TargetCursor;
import org.clusterbackup.core.protocol.TargetInfo;

/**
 * The answer to "which targets changed since this cursor", all its pages together.
 *
 * @param reset {@code changed} is every active target: drop what you had first
 * @param changed registered targets to add, or to replace by id
 * @param removed ids of targets no longer registered
 * @param cursor what to send as {@code since} next time
 */
public record TargetChanges(boolean reset, List<TargetInfo> changed, List<Long> removed, TargetCursor cursor) {
    public TargetChanges {
        changed = List.copyOf(changed);
        removed = List.copyOf(removed);
        Objects.requireNonNull(cursor, "cursor");
    }
}
