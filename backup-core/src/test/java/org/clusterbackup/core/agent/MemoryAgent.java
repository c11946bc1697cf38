package org.clusterbackup.core.agent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;
import org.clusterbackup.core.archive.ArchiveOptions;
import org.clusterbackup.core.archive.ArchiveSink;
import org.clusterbackup.core.archive.ArchiveSummary;
import org.clusterbackup.core.archive.CompressedSegment;
import org.clusterbackup.core.archive.StatCache;
import org.clusterbackup.core.archive.TreeArchiver;
import org.clusterbackup.core.archive.TreeScan;
import org.clusterbackup.core.model.ErrorCode;
import org.clusterbackup.core.model.HostPort;
import org.clusterbackup.core.net.Connection;
import org.clusterbackup.core.net.ConnectionHandler;
import org.clusterbackup.core.net.NioServer;
import org.clusterbackup.core.protocol.ArchiveBegin;
import org.clusterbackup.core.protocol.ArchiveEnd;
import org.clusterbackup.core.protocol.BackupRequest;
import org.clusterbackup.core.protocol.ErrorReply;
import org.clusterbackup.core.protocol.Message;
import org.clusterbackup.core.protocol.Unchanged;
import org.clusterbackup.core.security.Fingerprint;
import org.clusterbackup.core.security.Identity;

/**
 * A test agent that answers backups from memory, for the schedule bench (issue 19's scale run; issue 17 allows
 * one too): it speaks the real agent protocol — the real agent's listener, its own identity, TLS 1.3 trusting
 * exactly the servers it is told to trust ({@link BackupAgent#transport}) — but reads no disk per run.
 *
 * <p>Every target it serves holds the same tiny tree, archived once at start (and once more per other
 * compression level asked for) by the real archiver from a real directory. A {@code BackupRequest} for a path
 * of its set is answered {@code Unchanged} when the request's base digest is that tree's digest, else with the
 * recorded archive: {@code ArchiveBegin}, the gzip header, each {@code Segment} with its deflate data in
 * {@code Data} frames, the tail and {@code ArchiveEnd} with the declared size, SHA-256, digest and file count,
 * sent through the real agent's {@link DataFrameSink}; so the server stores, indexes and logs it as any other.
 * A path outside the set is refused as the real agent refuses it; everything but a backup is a protocol
 * error (no restores).
 *
 * <p>What it leaves out, against the real agent: the stat-cache scan of a tree per run (about 4 ms of CPU per
 * {@code UNCHANGED} run of the real agent at the time of writing), scan progress, deltas and block deltas (a
 * changed tree is always sent whole), the per-root lock and state files, and its INFO line per run.
 *
 * <p>As a program (the bench runs it with core's test classes on the class path): {@code MemoryAgent --listen
 * HOST:PORT --state-dir DIR --tree DIR --paths FILE --trust-server FINGERPRINT...}. The paths file holds one
 * path a line. Prints {@code fingerprint …} and {@code listening on HOST:PORT} as the daemons do, and on
 * SIGTERM a line of what it answered.
 */
public final class MemoryAgent implements AutoCloseable {
    private final NioServer listener;
    private final Identity identity;
    private final TreeArchiver archiver;
    private final Path tree;
    private final Set<String> paths;
    private final Map<Integer, Recorded> archives = new ConcurrentHashMap<>();
    private final String digest;
    final AtomicLong unchanged = new AtomicLong();
    final AtomicLong archived = new AtomicLong();
    final AtomicLong refused = new AtomicLong();

    /** One archive of the tree as the real archiver wrote it, piece by piece. */
    private record Recorded(byte[] header, List<CompressedSegment> segments, byte[] tail, ArchiveSummary summary) {}

    private MemoryAgent(AgentSettings settings, Path tree, Set<String> paths) throws IOException {
        this.tree = tree;
        this.paths = Set.copyOf(paths);
        this.archiver = new TreeArchiver(settings.archive());
        try {
            Recorded first = record(settings.archive().gzipLevel());
            archives.put(settings.archive().gzipLevel(), first);
            this.digest = first.summary().digest();
            Files.createDirectories(settings.stateDir());
            this.identity = Identity.loadOrCreate(settings.stateDir(), BackupAgent.IDENTITY_NAME);
            this.listener = NioServer.start(
                    BackupAgent.transport(settings, identity, BackupAgent.trustedServers(settings)), Handler::new);
        } catch (IOException | RuntimeException e) {
            archiver.close();
            throw e;
        }
    }

    /**
     * Starts serving {@code paths} (as requests name them), each as the tree in {@code tree}, on
     * {@code settings}' address, identity (in its state dir) and trusted servers; its allow list is not used.
     *
     * @throws IOException the tree cannot be archived, the state dir made, or the address bound; or no server
     *         is trusted
     */
    public static MemoryAgent start(AgentSettings settings, Path tree, Set<String> paths) throws IOException {
        return new MemoryAgent(settings, tree, paths);
    }

    public InetSocketAddress address() {
        return listener.address();
    }

    public Fingerprint fingerprint() {
        return identity.fingerprint();
    }

    /** The digest every served path holds: what the server sends back as its base once it stored an archive. */
    public String digest() {
        return digest;
    }

    @Override
    public void close() {
        listener.close();
        archiver.close();
    }

    private Recorded record(int level) throws IOException {
        TreeScan scan = archiver.scan(tree, StatCache.empty());
        List<byte[]> ends = new ArrayList<>();
        List<CompressedSegment> segments = new ArrayList<>();
        ArchiveSummary summary = archiver.write(
                scan,
                StatCache.empty(),
                new ArchiveSink() {
                    @Override
                    public void header(byte[] header) {
                        ends.add(header.clone());
                    }

                    @Override
                    public void segment(CompressedSegment segment) {
                        segments.add(segment); // immutable: its chunks may be sent again and again
                    }

                    @Override
                    public void tail(byte[] tail) {
                        ends.add(tail.clone());
                    }
                },
                level);
        return new Recorded(ends.get(0), List.copyOf(segments), ends.get(1), summary);
    }

    private Recorded archiveAt(int level) {
        return archives.computeIfAbsent(level, l -> {
            try {
                return record(l);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** One connection from a server: backups only, answered from memory. */
    private final class Handler implements ConnectionHandler {
        private final Connection connection;

        Handler(Connection connection) {
            this.connection = connection;
            // As the real agent: its Hello came over TLS from a server this agent pins.
            connection.authenticated();
        }

        @Override
        public void onMessage(Message message) throws IOException {
            if (!(message instanceof BackupRequest request)) {
                connection.send(new ErrorReply(
                        ErrorCode.PROTOCOL,
                        "this test agent serves backups only, not "
                                + message.getClass().getSimpleName()));
                return;
            }
            int level = request.effectiveCompressionLevel();
            if (level < BackupRequest.MIN_COMPRESSION_LEVEL || level > BackupRequest.MAX_COMPRESSION_LEVEL) {
                connection.send(
                        new ErrorReply(ErrorCode.BAD_REQUEST, "compressionLevel " + level + " is out of range"));
                return;
            }
            if (!paths.contains(request.path())) {
                refused.incrementAndGet();
                connection.send(new ErrorReply(
                        ErrorCode.REFUSED, "path " + request.path() + " is not one this test agent serves"));
                return;
            }
            if (digest.equals(request.baseDigest())) {
                unchanged.incrementAndGet();
                connection.send(new Unchanged(digest));
                return;
            }
            Recorded archive = archiveAt(level);
            ArchiveSummary summary = archive.summary();
            connection.send(new ArchiveBegin(summary.files()));
            DataFrameSink out = new DataFrameSink(connection);
            out.header(archive.header());
            for (CompressedSegment segment : archive.segments()) {
                out.segment(segment);
            }
            out.tail(archive.tail());
            connection.send(new ArchiveEnd(
                    out.size(), out.sha256(), summary.digest(), summary.files(), new ArrayList<>(summary.warnings())));
            archived.incrementAndGet();
        }
    }

    public static void main(String[] args) throws Exception {
        String listen = null;
        Path stateDir = null;
        Path tree = null;
        Path pathsFile = null;
        List<Fingerprint> servers = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : null;
            switch (args[i]) {
                case "--listen" -> listen = value;
                case "--state-dir" -> stateDir = value == null ? null : Path.of(value);
                case "--tree" -> tree = value == null ? null : Path.of(value);
                case "--paths" -> pathsFile = value == null ? null : Path.of(value);
                case "--trust-server" -> {
                    if (value != null) {
                        servers.add(Fingerprint.parse(value, "--trust-server"));
                    }
                }
                default -> usage("unknown argument " + args[i]);
            }
            if (value == null) {
                usage(args[i] + " needs a value");
            }
            i++;
        }
        if (listen == null || stateDir == null || tree == null || pathsFile == null || servers.isEmpty()) {
            usage("--listen, --state-dir, --tree, --paths and --trust-server are all needed");
        }
        HostPort address = HostPort.parse(listen, "--listen", true);
        Set<String> paths = new HashSet<>();
        for (String line : Files.readAllLines(pathsFile)) {
            if (!line.isBlank()) {
                paths.add(line.strip());
            }
        }
        AgentSettings settings = new AgentSettings(
                        new InetSocketAddress(address.host(), address.port()),
                        List.of(),
                        stateDir,
                        ArchiveOptions.defaults())
                .withTrustedServers(servers);
        MemoryAgent agent = start(settings, tree, paths);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            agent.close();
            System.out.println("answered unchanged=" + agent.unchanged + " archived=" + agent.archived + " refused="
                    + agent.refused);
            stopped.countDown();
        }));
        System.out.println("fingerprint " + agent.fingerprint().value());
        System.out.println("listening on " + agent.address().getAddress().getHostAddress() + ":"
                + agent.address().getPort());
        stopped.await();
    }

    private static void usage(String problem) {
        System.err.println("MemoryAgent: " + problem + "\nusage: MemoryAgent --listen HOST:PORT --state-dir DIR"
                + " --tree DIR --paths FILE --trust-server FINGERPRINT...");
        System.exit(2);
    }
}
