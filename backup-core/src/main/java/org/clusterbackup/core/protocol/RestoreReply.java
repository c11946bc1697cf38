package org.clusterbackup.core.protocol;

import java.util.List;

/**
 * Control plane: the archive is extracted on the node; {@code bytes} counts file content written.
 * {@code warnings} (added later, so optional: absent from older servers) says what could not be restored
 * exactly, e.g. how many setuid/setgid bits the agent dropped.
 */
public record RestoreReply(long id, String node, int port, String target, int files, long bytes, List<String> warnings)
        implements Message {
    public RestoreReply {
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
    }

    public RestoreReply(long id, String node, int port, String target, int files, long bytes) {
        this(id, node, port, target, files, bytes, List.of());
    }
}
