package org.clusterbackup.core.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.clusterbackup.core.agent.AgentSettings;
import org.clusterbackup.core.agent.BackupAgent;
import org.clusterbackup.core.net.BlockingConnection;
import org.clusterbackup.core.net.TlsSettings;
import org.clusterbackup.core.protocol.ProtocolLimits;
import org.clusterbackup.core.security.Fingerprint;
import org.clusterbackup.core.security.Identity;
import org.clusterbackup.core.security.PeerCheck;
import org.clusterbackup.core.security.PeerIdentityException;
import org.clusterbackup.core.security.Tls;
import org.clusterbackup.core.server.api.BackupServer;

/**
 * For tests that talk to a daemon directly rather than through {@link Pipeline}: the credentials the
 * product would use. An agent is dialled as the server whose data dir is given (the agent must trust it:
 * {@link #trusting}); a server is dialled as its first operator, with its admin token.
 */
public final class TestPeers {
    private TestPeers() {}

    /** {@code settings} trusting the server that uses {@code serverDataDir} (its identity is made if absent). */
    public static AgentSettings trusting(AgentSettings settings, Path serverDataDir) throws IOException {
        return settings.withTrustedServers(List.of(BackupServer.identityOf(serverDataDir)));
    }

    /** Dials {@code agent} as the server of {@code serverDataDir}, holding the agent to its own identity. */
    public static BlockingConnection dialAgent(
            BackupAgent agent, Path serverDataDir, Duration connectTimeout, Duration readTimeout, ProtocolLimits limits)
            throws IOException {
        return dialAgent(agent.address(), agent.fingerprint(), serverDataDir, connectTimeout, readTimeout, limits);
    }

    public static BlockingConnection dialAgent(
            InetSocketAddress address,
            Fingerprint agent,
            Path serverDataDir,
            Duration connectTimeout,
            Duration readTimeout,
            ProtocolLimits limits)
            throws IOException {
        return BlockingConnection.open(
                address, "server", connectTimeout, readTimeout, limits, asServer(serverDataDir, agent), null);
    }

    /** TLS of an agent (its identity in {@code stateDir}) that serves the server of {@code serverDataDir}. */
    public static TlsSettings agentTls(Path stateDir, Path serverDataDir) throws IOException {
        return Tls.listener(
                Identity.loadOrCreate(stateDir, BackupAgent.IDENTITY_NAME),
                only(BackupServer.identityOf(serverDataDir)));
    }

    /** TLS as the server of {@code serverDataDir}, talking to the agent that presents {@code agent}. */
    public static SSLContext asServer(Path serverDataDir, Fingerprint agent) throws IOException {
        return Tls.context(Identity.loadOrCreate(serverDataDir, BackupServer.IDENTITY_NAME), only(agent));
    }

    /** TLS as an operator's client of {@code server}, pinning its identity. */
    public static SSLContext asClient(BackupServer server) {
        return Tls.context(null, only(server.fingerprint()));
    }

    /** The admin token {@code server} wrote on its first start. */
    public static String adminToken(BackupServer server) throws IOException {
        return Files.readString(server.adminTokenFile()).strip();
    }

    /** Trusts the one peer that presents {@code expected}. */
    public static PeerCheck only(Fingerprint expected) {
        return presented -> {
            if (!presented.equals(expected)) {
                throw new PeerIdentityException("expected " + expected + ", got " + presented, presented);
            }
        };
    }

    /** Dials {@code server}'s control port in {@code role}, pinning its identity and holding its admin token. */
    public static BlockingConnection dialServer(
            BackupServer server, String role, Duration connectTimeout, Duration readTimeout, ProtocolLimits limits)
            throws IOException {
        return BlockingConnection.open(
                server.address(), role, connectTimeout, readTimeout, limits, asClient(server), adminToken(server));
    }
}
