package org.clusterbackup.core.protocol;

import java.util.List;

/** Data plane, agent to server: the tree is in place; {@code bytes} counts file content written. */
public record RestoreDone(int files, long bytes, List<String> warnings) implements Message {
    public RestoreDone {
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
    }
}
