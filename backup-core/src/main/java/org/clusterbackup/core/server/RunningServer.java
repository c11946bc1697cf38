package org.clusterbackup.core.server;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.clusterbackup.core.catalog.Catalog;
import org.clusterbackup.core.catalog.CatalogException;
import org.clusterbackup.core.catalog.CatalogLocation;
import org.clusterbackup.core.catalog.Catalogs;
import org.clusterbackup.core.catalog.SecurityCatalog;
import org.clusterbackup.core.catalog.TargetClaims;
import org.clusterbackup.core.concurrent.DaemonThreads;
import org.clusterbackup.core.net.NioServer;
import org.clusterbackup.core.net.PeerLimits;
import org.clusterbackup.core.net.TransportConfig;
import org.clusterbackup.core.schedule.BackupScheduler;
import org.clusterbackup.core.schedule.SchedulerConfig;
import org.clusterbackup.core.schedule.TargetStatus;
import org.clusterbackup.core.security.Fingerprint;
import org.clusterbackup.core.security.Identity;
import org.clusterbackup.core.security.Tls;
import org.clusterbackup.core.server.api.BackupServer;
import org.clusterbackup.core.server.api.ServerSettings;
import org.clusterbackup.core.store.ArchiveStore;
import org.clusterbackup.core.store.SharedSweep;
import org.clusterbackup.core.store.TempOwner;

/**
 * The {@link BackupServer} the core's API starts, wired from its parts. Tests start it with seams (a disk
 * that fails on cue, hooks inside runs) through {@link #start(ServerSettings, Clock, ArchiveStore.WriteHook,
 * RunHooks)}; this package is not exported, so the seams are no part of the public API.
 */
public final class RunningServer implements BackupServer {
    /** Roles that may use the control plane. */
    static final Set<String> CONTROL_ROLES = Set.of("cli", "console");

    private static final System.Logger LOG = System.getLogger(RunningServer.class.getName());
    static final String INTERRUPTED = "interrupted by server restart";

    private final DataDirLock lock;
    private final Catalog catalog;
    private final BackupScheduler scheduler;
    private final ExecutorService workers;
    private final NioServer listener;
    private final Identity identity;

    private final SecurityCatalog security;
    private final Path dataDir;
    /** The claims of a shared catalog; null when this server runs every target of its own. */
    private final ClaimKeeper keeper;

    private final Cluster cluster;
    /** Connections to agents kept open between runs; closed after the runs in progress end. */
    private final AgentPool agents;

    private RunningServer(
            DataDirLock lock,
            Catalog catalog,
            SecurityCatalog security,
            BackupScheduler scheduler,
            ExecutorService workers,
            NioServer listener,
            Identity identity,
            Path dataDir,
            ClaimKeeper keeper,
            Cluster cluster,
            AgentPool agents) {
        this.agents = agents;
        this.keeper = keeper;
        this.cluster = cluster;
        this.dataDir = dataDir;
        this.security = security;
        this.identity = identity;
        this.lock = lock;
        this.catalog = catalog;
        this.scheduler = scheduler;
        this.workers = workers;
        this.listener = listener;
    }

    /** As {@link BackupServer#start}. */
    public static RunningServer start(ServerSettings settings, Clock clock) throws IOException {
        return start(settings, clock, ArchiveStore.WriteHook.NONE, RunHooks.NONE);
    }

    /**
     * Starts with seams for tests: a disk that fails on cue, a hook inside runs.
     *
     * @throws IOException as {@link BackupServer#start}; a catalog that cannot be opened is one too, so the
     *         caller has one failure to report
     */
    public static RunningServer start(ServerSettings settings, Clock clock, ArchiveStore.WriteHook disk, RunHooks hooks)
            throws IOException {
        try {
            return assemble(settings, clock, disk, hooks);
        } catch (CatalogException e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    private static RunningServer assemble(
            ServerSettings settings, Clock clock, ArchiveStore.WriteHook disk, RunHooks hooks) throws IOException {
        Files.createDirectories(settings.dataDir());
        boolean shared = !(settings.catalog() instanceof CatalogLocation.DataDir);
        // A cluster server's lock is per name; without --name its name is its listener's address, known once bound.
        DataDirLock lock = !shared
                ? DataDirLock.acquire(settings.dataDir())
                : settings.name() != null
                        ? DataDirLock.acquire(settings.dataDir(), new TempOwner(settings.name()))
                        : null;
        Catalog catalog = null;
        SecurityCatalog security = null;
        BackupScheduler scheduler = null;
        ExecutorService workers = null;
        ClaimKeeper keeper = null;
        Cluster cluster = null;
        NioServer listener = null;
        AgentPool agents = null;
        try {
            Catalogs stores = settings.catalog().open(settings.dataDir(), clock);
            catalog = stores.catalog();
            security = stores.security();
            SecurityCatalog sc = security;
            // The first server of a cluster makes its identity and first admin token; the others load them.
            Identity identity = stores.setUpOnce(() -> {
                hooks.setUpLocked();
                Identity id = Identity.loadOrCreate(settings.dataDir(), IDENTITY_NAME);
                AdminToken.ensure(sc, settings.dataDir());
                return id;
            });
            Optional<TargetClaims> claims = stores.claims();
            ArchiveStore store = new ArchiveStore(settings.dataDir(), disk);
            recover(catalog, store, claims.isEmpty());
            AgentDialer dialer = new AgentDialer(settings, identity, security);
            // Backups reuse connections; restores and probes dial afresh (docs/PROTOCOL.md, "Transport").
            agents = new AgentPool(dialer, settings.maxConcurrent(), AgentPool.IDLE_EXPIRY, System::nanoTime);
            ScheduledRuns runs =
                    new ScheduledRuns(catalog, new BackupRunner(catalog, store, settings, hooks, agents, clock), hooks);
            workers = Executors.newCachedThreadPool(DaemonThreads.numbered("backup-run-"));
            scheduler = BackupScheduler.start(
                    SchedulerConfig.defaults()
                            .withMaxConcurrentRuns(settings.maxConcurrent())
                            .withRetry(settings.retryInitial(), settings.retryMax())
                            .withFirstRunDelay(settings.firstRunDelay()),
                    runs,
                    ScheduledRuns.prober(dialer),
                    workers,
                    clock,
                    // On a shared catalog the scheduler gets the targets this server claims, as it claims them.
                    claims.isEmpty() ? runs.restore() : List.of());
            SoloCluster solo = null;
            SharedCluster sharedCluster = null;
            if (claims.isPresent()) {
                keeper = new ClaimKeeper(claims.get(), settings.lease(), scheduler, runs, System::nanoTime, hooks);
                sharedCluster = new SharedCluster(
                        claims.get(),
                        keeper,
                        scheduler,
                        runs,
                        new RemoteRuns(
                                claims.get().runRequests(),
                                catalog,
                                scheduler,
                                runs,
                                keeper,
                                settings.lease(),
                                System::nanoTime));
                cluster = sharedCluster;
            } else {
                solo = new SoloCluster(catalog, scheduler, runs, clock);
                cluster = solo;
            }
            Catalog c = catalog;
            BackupScheduler s = scheduler;
            AccessControl access =
                    new AccessControl(security, new AuthThrottle(clock), d -> Thread.sleep(d.toMillis()), clock);
            TransportConfig transport = TransportConfig.of(settings.listen(), "server", CONTROL_ROLES)
                    .withPeers(PeerLimits.of(PeerLimits.CONTROL_REQUESTS).withSendTimeout(settings.sendTimeout()))
                    .withTls(Tls.listener(identity, null));
            Cluster members = cluster;
            // Names this run: a console's change cursor from an earlier run (whose schedule state is gone)
            // or from another server gets everything anew.
            String epoch = java.util.UUID.randomUUID().toString();
            listener = NioServer.start(
                    transport,
                    connection -> new ControlHandler(
                            connection, c, store, s, runs, settings, hooks, dialer, access, sc, members, epoch));
            String address = hostPort(listener.address());
            String name = settings.name() != null ? settings.name() : address;
            if (keeper != null) {
                TempOwner owner = new TempOwner(name);
                if (lock == null) {
                    lock = DataDirLock.acquire(settings.dataDir(), owner);
                }
                sweepShared(store, owner, settings.dataDir());
                joinCluster(claims.orElseThrow(), keeper, name, address);
                sharedCluster.start(name);
            } else {
                solo.named(name, address);
            }
            return new RunningServer(
                    lock,
                    catalog,
                    security,
                    scheduler,
                    workers,
                    listener,
                    identity,
                    settings.dataDir(),
                    keeper,
                    cluster,
                    agents);
        } catch (IOException | RuntimeException e) {
            if (listener != null) {
                listener.close();
            }
            if (scheduler != null) {
                scheduler.close();
            }
            if (agents != null) {
                agents.close();
            }
            if (cluster != null) {
                cluster.close();
            }
            if (keeper != null) {
                keeper.close();
            }
            if (workers != null) {
                workers.shutdownNow();
            }
            if (catalog != null) {
                catalog.close();
            }
            if (security != null) {
                security.close();
            }
            if (lock != null) {
                lock.close();
            }
            throw e;
        }
    }

    /**
     * On a shared catalog, once the name is known: runs are recorded only while this server holds their
     * target, its previous life's runs are closed, and it starts claiming.
     */
    private static void joinCluster(TargetClaims claims, ClaimKeeper keeper, String name, String address) {
        claims.fenceRunsOf(name);
        int interrupted = claims.failInterruptedRunsOf(name, INTERRUPTED);
        if (interrupted > 0) {
            LOG.log(
                    System.Logger.Level.WARNING,
                    "{0} backup runs of server {1} were interrupted by its last stop;" + " logged as FAILED",
                    interrupted,
                    name);
        }
        keeper.start(name, address);
        LOG.log(
                System.Logger.Level.INFO,
                "server {0} shares its catalog; claims targets with a {1} s lease",
                name,
                keeper.leaseSeconds());
    }

    private static String hostPort(InetSocketAddress address) {
        String host = address.getHostString();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + address.getPort();
    }

    /**
     * A cluster server, before its first run: its temp files carry its name from now on, and the start-up
     * sweep deletes only its own earlier life's and those of servers not running (see {@link SharedSweep}).
     */
    private static void sweepShared(ArchiveStore store, TempOwner name, Path dataDir) throws IOException {
        store.shareAs(name, (owner, work) -> DataDirLock.whileStopped(dataDir, owner, work))
                .atStart();
    }

    /**
     * After a crash: runs left RUNNING are logged as FAILED (when this server is alone on its catalog; on a
     * shared one, only its own, once it knows its name), and the store keeps only what the catalog names
     * (temp files of interrupted transfers and orphans of interrupted renames go).
     */
    private static void recover(Catalog catalog, ArchiveStore store, boolean alone) throws IOException {
        if (!alone) {
            return; // the runs once the server knows its name, the files by SharedSweep's rules
        }
        int interrupted = catalog.failInterruptedRuns(INTERRUPTED);
        if (interrupted > 0) {
            LOG.log(
                    System.Logger.Level.WARNING,
                    "{0} backup runs were interrupted by the last stop; logged as FAILED",
                    interrupted);
        }
        store.sweep(ArchiveStore.keptFiles(catalog.storedArchives()));
    }

    @Override
    public Fingerprint fingerprint() {
        return identity.fingerprint();
    }

    @Override
    public Path adminTokenFile() {
        return dataDir.resolve(AdminToken.FILE_NAME);
    }

    /** Where a target stands in the schedule; empty when nothing will start a run of it on its own. */
    Optional<TargetStatus> scheduled(long targetId) {
        return scheduler.status(targetId);
    }

    @Override
    public InetSocketAddress address() {
        return listener.address();
    }

    /** Its connections to agents kept between runs. For tests. */
    AgentPool agents() {
        return agents;
    }

    /** What a killed server leaves: its claims stay until their lease ends. For tests. */
    void crash() throws IOException {
        if (keeper != null) {
            keeper.abandon();
        }
        cluster.close();
        try {
            listener.close();
            scheduler.close();
            agents.close();
            workers.shutdownNow();
            catalog.close();
            security.close();
        } finally {
            lock.close();
        }
    }

    @Override
    public void close() throws IOException {
        try {
            listener.close();
            scheduler.close(); // waits a bounded time for runs in progress, so their rows are completed
            agents.close(); // a run still going closes its connection when it ends
            cluster.close(); // after the runs: the answers to other servers' requests go out
            if (keeper != null) {
                keeper.close(); // after the runs: their holder records them, then gives the targets back
            }
            workers.shutdownNow();
            catalog.close();
            security.close();
        } finally {
            lock.close();
        }
    }
}
