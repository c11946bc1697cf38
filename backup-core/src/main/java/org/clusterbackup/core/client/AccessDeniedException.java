package org.clusterbackup.core.client;

import java.io.IOException;

/**
 * The client's own connection is not trusted, by either side: the server's identity is unknown or changed
 * here, or the server refused our token or role. Not an outage: trying again will not help. CLI exit 7.
 */
public final class AccessDeniedException extends IOException {
    public AccessDeniedException(String message, Throwable cause) {
        super(message, cause);
    }
}
