package org.clusterbackup.core.client;

import org.clusterbackup.core.model.HostPort;
import org.clusterbackup.core.security.Fingerprint;
import org.clusterbackup.core.security.PeerIdentityException;

/**
 * The server presented an identity this operator has never pinned. A person may accept it at a prompt
 * ({@link OperatorAccess#accept}); without one it stays refused (exit 7). Never accepted because nobody
 * answered.
 */
public final class UnknownServerException extends java.io.IOException {
    private final HostPort server;
    private final Fingerprint presented;

    public UnknownServerException(HostPort server, Fingerprint presented, Throwable cause) {
        super(
                "server " + server + " presented identity " + presented
                        + ", which is not pinned here; if `backup-server "
                        + "fingerprint` on the server prints the same, pass --server-fingerprint " + presented
                        + " (or set " + OperatorAccess.FINGERPRINT_ENV + ")",
                cause);
        this.server = server;
        this.presented = presented;
    }

    public HostPort server() {
        return server;
    }

    public Fingerprint presented() {
        return presented;
    }

    /** Carries the refusal out of the handshake to {@link BackupClient}, which turns it into the exception. */
    static final class Marker extends PeerIdentityException {
        private static final long serialVersionUID = 1L;
        private final transient HostPort server;

        Marker(HostPort server, Fingerprint presented) {
            super("server " + server + " presented identity " + presented + ", which is not pinned here", presented);
            this.server = server;
        }

        UnknownServerException toException(Throwable cause) {
            return new UnknownServerException(server, presented(), cause);
        }
    }
}
