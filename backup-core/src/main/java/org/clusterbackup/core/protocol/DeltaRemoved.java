package org.clusterbackup.core.protocol;

import java.util.List;

/**
 * Data plane, agent to server, after a delta's {@code Data}: paths of the base archive's entries the tree no
 * longer has, as indexes name them (a directory without its trailing {@code /}); at most {@link #PAGE} per
 * message, as many messages as needed.
 */
public record DeltaRemoved(List<String> paths) implements Message {
    public static final int PAGE = 1000;

    public DeltaRemoved {
        paths = paths == null ? List.of() : List.copyOf(paths);
    }
}
