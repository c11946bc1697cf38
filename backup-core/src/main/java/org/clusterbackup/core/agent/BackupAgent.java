package org.clusterbackup.core.agent;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.util.Set;
import org.clusterbackup.core.archive.TreeArchiver;
import org.clusterbackup.core.restore.ExtractHooks;
import org.clusterbackup.core.restore.RestorePolicy;
import org.clusterbackup.core.restore.SafeExtractor;
import org.clusterbackup.core.net.NioServer;
import org.clusterbackup.core.net.PeerLimits;
import org.clusterbackup.core.net.TransportConfig;

/** A running agent: the data-plane listener of one node. */
public final class BackupAgent implements AutoCloseable {
    /** Only backup servers may talk to an agent. */
    public static final Set<String> DATA_ROLES = Set.of("server");

    private final NioServer listener;
    private final TreeArchiver archiver;
    private final RestoreSlots slots;

    private BackupAgent(NioServer listener, TreeArchiver archiver, RestoreSlots slots) {
        this.listener = listener;
        this.archiver = archiver;
        this.slots = slots;
    }

    /**
     * @throws IOException an allowed root is missing, the state dir cannot be made, or the address is taken
     */
    public static BackupAgent start(AgentSettings settings) throws IOException {
        PathPolicy policy = PathPolicy.of(settings.allow(), "--allow");
        Files.createDirectories(settings.stateDir());
        TreeArchiver archiver = new TreeArchiver(settings.archive());
        RootLocks locks = new RootLocks(settings.lockTimeout());
        RestorePolicy restorePolicy = RestorePolicy.of(settings.restoreRoots());
        SafeExtractor extractor = new SafeExtractor(ExtractHooks.NONE, settings.restore().limits());
        RestoreSlots slots = new RestoreSlots(settings.restore().maxConcurrent());
        TransportConfig transport = TransportConfig.of(settings.listen(), "agent", DATA_ROLES)
                .withPeers(PeerLimits.of(PeerLimits.DATA_REQUESTS).withSendTimeout(settings.sendTimeout()));
        NioServer listener;
        try {
            listener = NioServer.start(transport,
                    connection -> new AgentHandler(connection, settings, policy, archiver, locks, restorePolicy,
                            extractor, slots));
        } catch (IOException | RuntimeException e) {
            archiver.close();
            slots.close();
            throw e;
        }
        return new BackupAgent(listener, archiver, slots);
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
