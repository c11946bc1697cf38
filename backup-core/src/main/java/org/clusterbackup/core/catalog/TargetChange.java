package org.clusterbackup.core.catalog;

import java.util.Objects;

/**
 * A target as it stands after its latest change, with the stamp of that change: the place in the change
 * cursor ({@link TargetRegistry#changedTargets}) after which it is news.
 *
 * @param sequence the change stamp; 0 for a target not changed since the cursor was added to the catalog
 */
public record TargetChange(Target target, long sequence) {
    public TargetChange {
        Objects.requireNonNull(target, "target");
        if (sequence < 0) {
            throw new IllegalArgumentException("sequence must not be negative: " + sequence);
        }
    }

    /** The keyset cursor of a page of changes: the stamp and id of its last row; pages go by (stamp, id). */
    public record Key(long sequence, long id) {
        /** Before every change stamped after {@code sequence}. */
        public static Key after(long sequence) {
            return new Key(sequence, Long.MAX_VALUE);
        }
    }

    public Key key() {
        return new Key(sequence, target.id());
    }
}
