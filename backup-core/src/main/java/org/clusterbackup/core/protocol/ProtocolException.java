package org.clusterbackup.core.protocol;

import java.io.IOException;

/** The peer broke the wire protocol: a frame over a limit, an unknown type, a payload that does not parse. */
public final class ProtocolException extends IOException {
    public ProtocolException(String message) {
        super(message);
    }

    public ProtocolException(String message, Throwable cause) {
        super(message, cause);
    }
}
