package org.clusterbackup.core.server;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import org.clusterbackup.core.catalog.SecurityCatalog;
import org.clusterbackup.core.model.ErrorCode;
import org.clusterbackup.core.model.FailureKind;
import org.clusterbackup.core.net.BlockingConnection;
import org.clusterbackup.core.net.RemoteErrorException;
import org.clusterbackup.core.protocol.ProtocolException;
import org.clusterbackup.core.protocol.ProtocolLimits;
import org.clusterbackup.core.security.Fingerprint;
import org.clusterbackup.core.security.Identity;
import org.clusterbackup.core.security.PeerIdentityException;
import org.clusterbackup.core.security.Tls;
import org.clusterbackup.core.server.api.ServerSettings;

/**
 * Dials a node's agent for the server (backups, restores, probes) over TLS, presenting the server's
 * identity and holding the agent to the one pinned for its node:port. Without a pin the first successful
 * contact records it (trust on first use, logged). Every way this can fail becomes one line and a
 * {@link FailureKind}: the node being down is {@code UNREACHABLE}, which backups retry as soon as it
 * answers; a wrong identity on either side is {@code IDENTITY}, which they do not.
 */
final class AgentDialer {
    private static final System.Logger LOG = System.getLogger(AgentDialer.class.getName());

    private final ServerSettings settings;
    private final Identity identity;
    private final SecurityCatalog security;
    /**
     * One context for every agent, made once: its session cache lets the next connection to an agent resume
     * the last session (no certificate signatures), and every connection still meets the agent's pin.
     */
    private final SSLContext tls;

    AgentDialer(ServerSettings settings, Identity identity, SecurityCatalog security) {
        this.settings = settings;
        this.identity = identity;
        this.security = security;
        this.tls =
                Tls.dialer(identity, (host, port, presented) -> requirePin(security.agentPin(host, port), presented));
    }

    /** {@code agent host:port}, how messages name an agent. */
    static String label(String node, int port) {
        return "agent " + (node.indexOf(':') >= 0 ? "[" + node + "]" : node) + ":" + port;
    }

    /** A new connection to an agent, and the identity it was held to (the one pinned when it was made). */
    record Dialled(BlockingConnection connection, Fingerprint agent) {}

    BlockingConnection open(String node, int port) throws RunFailure {
        return dial(node, port).connection();
    }

    /** A new connection with the run timeouts, and the agent identity its session showed. */
    Dialled dial(String node, int port) throws RunFailure {
        return connect(node, port, settings.agentConnectTimeout(), settings.agentIdleTimeout());
    }

    /** The pin of node:port as the catalog holds it now. */
    Optional<String> pin(String node, int port) {
        return security.agentPin(node, port);
    }

    BlockingConnection open(String node, int port, Duration connectTimeout, Duration readTimeout) throws RunFailure {
        return connect(node, port, connectTimeout, readTimeout).connection();
    }

    private Dialled connect(String node, int port, Duration connectTimeout, Duration readTimeout) throws RunFailure {
        String agent = label(node, port);
        // Read once the handshake is done, full or resumed: a full one also met the pin inside the handshake.
        AtomicReference<Optional<String>> pin = new AtomicReference<>();
        AtomicReference<Fingerprint> presented = new AtomicReference<>();
        BlockingConnection c;
        try {
            c = BlockingConnection.open(
                    new InetSocketAddress(node, port),
                    "server",
                    connectTimeout,
                    readTimeout,
                    ProtocolLimits.DEFAULT,
                    tls,
                    Tls.afterHandshake(node, port, (host, p, fingerprint) -> {
                        presented.set(fingerprint);
                        pin.set(security.agentPin(node, port));
                        requirePin(pin.get(), fingerprint);
                    }),
                    null);
        } catch (RemoteErrorException e) {
            FailureKind kind = e.code() == ErrorCode.BUSY ? FailureKind.UNREACHABLE : FailureKind.OTHER;
            throw new RunFailure(kind, agent + " refused the connection: " + e.getMessage(), e);
        } catch (IOException e) {
            throw failure(agent, connectTimeout, e);
        }
        if (pin.get().isEmpty()) {
            recordFirstContact(node, port, agent, presented.get(), c);
        }
        return new Dialled(c, presented.get());
    }

    private static void requirePin(Optional<String> pin, Fingerprint presented) throws PeerIdentityException {
        if (pin.isPresent() && !pin.get().equals(presented.value())) {
            throw new PeerIdentityException(
                    "agent identity changed: expected " + pin.get() + ", got " + presented, presented);
        }
    }

    private void recordFirstContact(String node, int port, String agent, Fingerprint seen, BlockingConnection c)
            throws RunFailure {
        if (security.pinAgentIfAbsent(node, port, seen.value())) {
            LOG.log(
                    Level.WARNING,
                    "{0}: no identity was pinned; trusting it on first use and pinning {1}",
                    agent,
                    seen);
            return;
        }
        String pinned = security.agentPin(node, port).orElse(null);
        if (!seen.value().equals(pinned)) { // another contact pinned another identity meanwhile
            c.close();
            throw new RunFailure(
                    FailureKind.IDENTITY, agent + ": agent identity changed: expected " + pinned + ", got " + seen);
        }
    }

    private RunFailure failure(String agent, Duration connectTimeout, IOException e) {
        Optional<PeerIdentityException> identity = PeerIdentityException.in(e);
        if (identity.isPresent()) {
            return new RunFailure(
                    FailureKind.IDENTITY, agent + ": " + identity.get().getMessage(), e);
        }
        if (e instanceof SSLException && String.valueOf(e.getMessage()).contains("alert")) {
            // TLS 1.3: the agent judges our certificate after our side of the handshake is done, so its
            // refusal arrives as an alert where its Hello should be.
            return new RunFailure(
                    FailureKind.IDENTITY,
                    agent + " refused this server's identity ("
                            + this.identity.fingerprint() + "): " + e.getMessage() + "; give the agent --trust-server "
                            + this.identity.fingerprint(),
                    e);
        }
        if (e instanceof SSLException
                && String.valueOf(e.getMessage()).contains("Unsupported or unrecognized SSL message")) {
            // The JDK's words for a peer that answered the TLS handshake with something else. Fixed words here:
            // whatever listens there (a web server, a database, an agent from before TLS) is not quoted back.
            return new RunFailure(
                    FailureKind.OTHER,
                    agent + " does not speak the Cluster Backup protocol: it did not" + " answer in TLS",
                    e);
        }
        if (e instanceof ConnectException) {
            return new RunFailure(FailureKind.UNREACHABLE, "cannot reach " + agent + ": connection refused", e);
        }
        if (e instanceof SocketTimeoutException) {
            return new RunFailure(
                    FailureKind.UNREACHABLE,
                    "cannot reach " + agent + ": no answer within " + connectTimeout.toSeconds() + " s",
                    e);
        }
        if (e instanceof UnknownHostException) {
            return new RunFailure(FailureKind.UNREACHABLE, "cannot reach " + agent + ": unknown host", e);
        }
        if (e instanceof NoRouteToHostException) {
            return new RunFailure(FailureKind.UNREACHABLE, "cannot reach " + agent + ": no route to host", e);
        }
        if (e instanceof ProtocolException) {
            // Fixed words: whatever listens there (a web server, a database) is not quoted back.
            return new RunFailure(
                    FailureKind.OTHER,
                    agent + " does not speak the Cluster Backup protocol: its answer"
                            + " to Hello was not a Hello frame",
                    e);
        }
        return new RunFailure(FailureKind.UNREACHABLE, "cannot reach " + agent + ": " + e.getMessage(), e);
    }
}
