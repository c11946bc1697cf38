package org.clusterbackup.core.agent;

import java.lang.System.Logger.Level;
import java.security.cert.X509Certificate;
import org.clusterbackup.core.model.ErrorCode;
import org.clusterbackup.core.net.Connection;
import org.clusterbackup.core.net.ConnectionHandler;
import org.clusterbackup.core.protocol.BackupRequest;
import org.clusterbackup.core.protocol.ErrorReply;
import org.clusterbackup.core.protocol.Message;
import org.clusterbackup.core.protocol.RestoreBegin;
import org.clusterbackup.core.security.Fingerprint;
import org.clusterbackup.core.security.PeerCheck;
import org.clusterbackup.core.security.PeerIdentityException;

/**
 * Holds every request of a connection to the servers this agent trusts <em>now</em>. The handshake judged
 * the server when the connection was made; a server keeps its connections open between runs, so when the
 * trusted set changes (the trust file re-read) a server no longer in it must not have another request served
 * on a connection it made before. Each request ({@code BackupRequest}, {@code RestoreBegin}) is checked here
 * first; a refused one gets {@code Error{UNAUTHORIZED}} and the connection is closed.
 */
final class ServerGate implements ConnectionHandler {
    private static final System.Logger LOG = System.getLogger(ServerGate.class.getName());

    private final Connection connection;
    private final PeerCheck servers;
    /** The server's identity as its TLS session holds it; null if none (then nothing is served). */
    private final Fingerprint server;

    private final ConnectionHandler served;

    ServerGate(Connection connection, PeerCheck servers, ConnectionHandler served) {
        this.connection = connection;
        this.servers = servers;
        this.served = served;
        this.server = connection.peerCertificate() instanceof X509Certificate c ? Fingerprint.of(c) : null;
    }

    @Override
    public void onMessage(Message message) throws Exception {
        if ((message instanceof BackupRequest || message instanceof RestoreBegin) && !trusted()) {
            return;
        }
        served.onMessage(message);
    }

    private boolean trusted() {
        try {
            if (server == null) {
                throw new PeerIdentityException("the server presented no certificate", null);
            }
            servers.check(server);
            return true;
        } catch (PeerIdentityException e) {
            LOG.log(
                    Level.WARNING,
                    "[conn {0}] request refused, connection closed: {1}",
                    connection.id(),
                    e.getMessage());
            connection.fail(new ErrorReply(
                    ErrorCode.UNAUTHORIZED,
                    "server identity " + server + " is not trusted by this agent any more (it was when this"
                            + " connection was made); give the agent --trust-server " + server));
            return false;
        }
    }

    @Override
    public void onClose() {
        served.onClose();
    }
}
