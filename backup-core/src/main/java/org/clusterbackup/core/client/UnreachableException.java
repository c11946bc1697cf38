package org.clusterbackup.core.client;

import java.io.IOException;

/** The server could not be reached, or the conversation with it broke (refused, timed out, cut off). */
public final class UnreachableException extends IOException {
    public UnreachableException(String message, Throwable cause) {
        super(message, cause);
    }
}
