package org.clusterbackup.core.client;

import java.io.IOException;

/** Bytes received from the server are not the ones the catalog recorded (size or sha256 differ). */
public final class IntegrityException extends IOException {
    public IntegrityException(String message) {
        super(message);
    }
}
