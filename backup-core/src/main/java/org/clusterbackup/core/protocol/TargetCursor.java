package org.clusterbackup.core.protocol;

import java.util.Objects;

/**
 * Where a reader of the targets' changes stands: the server run that answered and the last change stamp
 * it was given. Opaque to clients: they keep the one the last answer gave and send it back.
 *
 * @param epoch names one run of one server; a cursor from another run (the server restarted, or another
 *        server answers) is answered with everything anew, since the schedule's state is that run's
 * @param sequence the catalog's change stamp up to which the reader has every change
 */
public record TargetCursor(String epoch, long sequence) {
    public TargetCursor {
        Objects.requireNonNull(epoch, "epoch");
        if (sequence < 0) {
            throw new IllegalArgumentException("a target cursor's sequence is never negative: " + sequence);
        }
    }
}
