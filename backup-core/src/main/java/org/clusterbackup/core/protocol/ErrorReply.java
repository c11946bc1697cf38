package org.clusterbackup.core.protocol;

import java.util.Objects;

/**
 * A request could not be served. The message is one human-readable line that names the value at fault.
 */
public record ErrorReply(ErrorCode code, String message) implements Message {
    public ErrorReply {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
    }
}
