package org.clusterbackup.core.agent;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.clusterbackup.core.archive.TreeArchiver;
import org.clusterbackup.core.net.NioServer;
import org.clusterbackup.core.net.PeerLimits;
import org.clusterbackup.core.net.TransportConfig;
import org.clusterbackup.core.restore.ExtractHooks;
import org.clusterbackup.core.restore.RestorePolicy;
import org.clusterbackup.core.restore.SafeExtractor;
import org.clusterbackup.core.security.Fingerprint;
import org.clusterbackup.core.security.Identity;
import org.clusterbackup.core.security.ServerTrust;
import org.clusterbackup.core.security.Tls;

/** A running agent: the data-plane listener of one node. */
public final class BackupAgent implements AutoCloseable {
    /** Only backup servers may talk to an agent. */
    public static final Set<String> DATA_ROLES = Set.of("server");

    /** The common name in the agent's certificate. */
    public static final String IDENTITY_NAME = "backup-agent";

    private final NioServer listener;
    private final Identity identity;
    private final TreeArchiver archiver;
    private final RestoreSlots slots;
    private final AtomicLong connections;

    private BackupAgent(
            NioServer listener, Identity identity, TreeArchiver archiver, RestoreSlots slots, AtomicLong connections) {
        this.connections = connections;
        this.listener = listener;
        this.identity = identity;
        this.archiver = archiver;
        this.slots = slots;
    }

    /**
     * @throws IOException an allowed root is missing, the state dir cannot be made, or the address is taken
     */
    public static BackupAgent start(AgentSettings settings) throws IOException {
        PathPolicy policy = PathPolicy.of(settings.allow(), "--allow");
        Files.createDirectories(settings.stateDir());
        Identity identity = Identity.loadOrCreate(settings.stateDir(), IDENTITY_NAME);
        ServerTrust servers = trustedServers(settings);
        TransportConfig transport = transport(settings, identity, servers);
        TreeArchiver archiver = new TreeArchiver(settings.archive());
        RootLocks locks = new RootLocks(settings.lockTimeout());
        RestorePolicy restorePolicy = RestorePolicy.of(settings.restoreRoots());
        SafeExtractor extractor =
                new SafeExtractor(ExtractHooks.NONE, settings.restore().limits());
        RestoreSlots slots = new RestoreSlots(settings.restore().maxConcurrent());
        NioServer listener;
        AtomicLong connections = new AtomicLong();
        try {
            // Every request is held to the trusted set as it is then: servers keep connections open.
            listener = NioServer.start(transport, connection -> {
                connections.incrementAndGet();
                return new ServerGate(
                        connection,
                        servers,
                        new AgentHandler(
                                connection, settings, policy, archiver, locks, restorePolicy, extractor, slots));
            });
        } catch (IOException | RuntimeException e) {
            archiver.close();
            slots.close();
            throw e;
        }
        return new BackupAgent(listener, identity, archiver, slots, connections);
    }

    /**
     * The data-plane listener's transport for {@code identity}: TLS 1.3 where every peer must present a server
     * identity this agent trusts (the others fail in the handshake), with the agent's peer limits. Package
     * access for the test agent that answers backups from memory (the schedule bench's {@code MemoryAgent}),
     * which must listen exactly as the real agent does.
     *
     */
    static TransportConfig transport(AgentSettings settings, Identity identity, ServerTrust servers) {
        return TransportConfig.of(settings.listen(), "agent", DATA_ROLES)
                .withPeers(PeerLimits.of(PeerLimits.DATA_REQUESTS).withSendTimeout(settings.sendTimeout()))
                .withTls(Tls.listener(identity, servers));
    }

    /**
     * The servers this agent trusts, from its flags and trust file.
     *
     * @throws IOException the trust file cannot be read, or no server is trusted at all
     */
    static ServerTrust trustedServers(AgentSettings settings) throws IOException {
        ServerTrust servers = new ServerTrust(settings.trustedServers(), settings.trustFile());
        if (servers.isEmpty()) {
            throw new IOException("no trusted server: " + ServerTrust.HOW_TO_TRUST);
        }
        return servers;
    }

    /** This agent's identity, as servers pin it. */
    public Fingerprint fingerprint() {
        return identity.fingerprint();
    }

    /** Connections from servers accepted (greeted) since the agent started: how often servers dialled it. */
    public long connectionsAccepted() {
        return connections.get();
    }

    public InetSocketAddress address() {
        return listener.address();
    }

    @Override
    public void close() {
        listener.close();
        archiver.close(); // stops the compressing threads
        slots.close();
    }
}
