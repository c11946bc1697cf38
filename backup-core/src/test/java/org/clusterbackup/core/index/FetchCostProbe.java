package org.clusterbackup.core.index;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import org.clusterbackup.core.catalog.SecurityCatalog;
import org.clusterbackup.core.protocol.FileFetchRequest;
import org.clusterbackup.core.protocol.Json;
import org.clusterbackup.core.security.Fingerprint;
import org.clusterbackup.core.security.Identity;
import org.clusterbackup.core.security.PeerIdentityException;
import org.clusterbackup.core.security.Tls;
import org.clusterbackup.core.security.Tokens;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Not a test: the in-process harness behind the per-phase figures of a {@code fetch --file} in
 * docs/PERFORMANCE.md ("Single-file fetch: where the server's CPU goes"). Surefire never runs it by itself
 * (its name does not end in Test); run it by name with a tree made by {@code bench/GenTree.java}:
 * {@code ./mvnw -o -q -pl backup-test-kit,backup-core test -Dtest=FetchCostProbe -Dprobe.tree=DIR}.
 * Each phase the server goes through for one request is timed on its own, as the server does it, by the
 * calling thread's time on a CPU (nanoseconds from /proc/thread-self/schedstat, not /proc's 10 ms ticks), averaged over many requests after a
 * warm-up: the TLS 1.3 handshake (the server's side only: its engine's wrap, unwrap and tasks), the token
 * check, the audit row (a durable SQLite commit), and the index work (open through the cache, locate,
 * inflate and hash the file).
 */
class FetchCostProbe {
    @TempDir
    Path tmp;

    @Test
    @Timeout(value = 30, unit = TimeUnit.MINUTES)
    void measure() throws Exception {
        String source = System.getProperty("probe.tree");
        Assumptions.assumeTrue(source != null, "run by name with -Dprobe.tree=DIR");
        int n = Integer.getInteger("probe.requests", 200);

        Identity server = Identity.loadOrCreate(Files.createDirectories(tmp.resolve("server-id")), "probe-server");
        Fingerprint pinned = server.fingerprint();
        SSLContext serverSide = Tls.listener(server, null).contexts().get();
        SSLContext clientSide = Tls.context(null, presented -> {
            if (!presented.equals(pinned)) {
                throw new PeerIdentityException("not the pinned server", presented);
            }
        });
        report(
                "TLS 1.3 handshake, server side ("
                        + server.certificate().getPublicKey().getAlgorithm() + " key)",
                n,
                () -> handshake(serverSide, clientSide));

        try (SecurityCatalog security =
                SecurityCatalog.open(Files.createDirectories(tmp.resolve("security")), Clock.systemUTC())) {
            String token = Tokens.generate();
            security.addToken("admin", "admin", Tokens.hash(token));
            report("token check (hash, every active token compared)", n, () -> {
                long c0 = threadCpu();
                String presented = Tokens.hash(token);
                int found = 0;
                for (SecurityCatalog.TokenHash row : security.activeTokenHashes()) {
                    found += Tokens.sameHash(row.hash(), presented) ? 1 : 0;
                }
                assertEquals(1, found);
                return threadCpu() - c0;
            });
            report("audit row (parameters as JSON, one durable insert)", n, () -> {
                long c0 = threadCpu();
                String params = Json.mapper()
                        .valueToTree(new FileFetchRequest(1, "module-07/src/a.java"))
                        .toString();
                security.audit("admin", "127.0.0.1:40000", "fetch", params, true, null);
                return threadCpu() - c0;
            });
        }

        Path root = tmp.resolve("tree");
        ServerCpuProbe.copy(Path.of(source), root);
        StoredArchives.Stored stored = StoredArchives.full(root, tmp, "base", 6);
        IndexEntry middle = ServerCpuProbe.middleFile(stored);
        VerifiedIndexes indexes = new VerifiedIndexes(VerifiedIndexes.DEFAULT_MAX_BYTES);
        try (FileChannel channel = FileChannel.open(stored.archive(), StandardOpenOption.READ)) {
            report("index work (cached index, locate, inflate and hash " + middle.size() + " B)", n, () -> {
                long c0 = threadCpu();
                long[] length = {0};
                try (IndexFile index = indexes.open(stored.index(), stored.indexSha256())) {
                    FileExtractor.Located located = FileExtractor.locate(index, middle.path());
                    FileExtractor.extract(new SegmentReader(channel), located, (b, off, len) -> length[0] += len);
                }
                assertEquals(middle.size(), length[0]);
                return threadCpu() - c0;
            });
        }
    }

    /** One request's phase: returns the CPU nanoseconds it cost the server. */
    @FunctionalInterface
    private interface Phase {
        long run() throws Exception;
    }

    /** Two warm-up rounds of {@code n}, then three timed ones: the mean CPU per request of each. */
    private static void report(String what, int n, Phase phase) throws Exception {
        List<String> rounds = new ArrayList<>();
        for (int round = -2; round < 3; round++) {
            long total = 0;
            for (int i = 0; i < n; i++) {
                total += phase.run();
            }
            if (round >= 0) {
                rounds.add(String.format("%.3f", total / (double) n / 1e6));
            }
        }
        System.out.printf("PROBE %s: CPU ms per request %s%n", what, rounds);
    }

    /**
     * The calling thread's time on a CPU in nanoseconds, from {@code /proc/thread-self/schedstat} (the
     * scheduler's own count, not {@code stat}'s 10 ms ticks; {@code java.management} is not read by this module).
     */
    private static long threadCpu() {
        try {
            String stat = Files.readString(Path.of("/proc/thread-self/schedstat"));
            return Long.parseLong(stat.substring(0, stat.indexOf(' ')));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * A whole TLS 1.3 handshake between two engines on this thread, plus one request and its answer; only
     * the server engine's calls are timed. Returns the server's CPU nanoseconds.
     */
    private static long handshake(SSLContext serverSide, SSLContext clientSide) throws SSLException {
        SSLEngine server = serverSide.createSSLEngine();
        server.setUseClientMode(false);
        server.setEnabledProtocols(new String[] {"TLSv1.3"});
        SSLEngine client = clientSide.createSSLEngine("127.0.0.1", 1);
        client.setUseClientMode(true);
        client.setEnabledProtocols(new String[] {"TLSv1.3"});
        int size = Math.max(server.getSession().getPacketBufferSize(), 64 * 1024);
        ByteBuffer toServer = ByteBuffer.allocate(size);
        ByteBuffer toClient = ByteBuffer.allocate(size);
        ByteBuffer app = ByteBuffer.allocate(size);
        ByteBuffer request = ByteBuffer.wrap(new byte[64]);
        ByteBuffer answer = ByteBuffer.wrap(new byte[64]);
        client.beginHandshake();
        long serverNanos = 0;
        for (int steps = 0; steps < 1000; steps++) {
            step(client, toClient, toServer, app, request);
            long c0 = threadCpu();
            step(server, toServer, toClient, app, answer);
            serverNanos += threadCpu() - c0;
            if (!request.hasRemaining()
                    && !answer.hasRemaining()
                    && toServer.position() == 0
                    && toClient.position() == 0) {
                return serverNanos;
            }
        }
        throw new IllegalStateException("the handshake did not finish");
    }

    /** One move of one engine: runs its tasks, reads what came, writes what it must (or its application bytes). */
    private static void step(SSLEngine engine, ByteBuffer in, ByteBuffer out, ByteBuffer app, ByteBuffer send)
            throws SSLException {
        for (int i = 0; i < 8; i++) {
            HandshakeStatus status = engine.getHandshakeStatus();
            if (status == HandshakeStatus.NEED_TASK) {
                Runnable task;
                while ((task = engine.getDelegatedTask()) != null) {
                    task.run();
                }
            } else if (status == HandshakeStatus.NEED_WRAP) {
                engine.wrap(ByteBuffer.allocate(0), out);
            } else if (in.position() > 0) {
                in.flip();
                app.clear();
                engine.unwrap(in, app);
                in.compact();
            } else if (status == HandshakeStatus.NOT_HANDSHAKING && send.hasRemaining()) {
                engine.wrap(send, out);
            } else {
                return;
            }
        }
    }
}
