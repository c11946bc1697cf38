import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import javax.net.ssl.SSLContext;
import org.clusterbackup.core.net.BlockingConnection;
import org.clusterbackup.core.net.NioServer;
import org.clusterbackup.core.net.TlsSettings;
import org.clusterbackup.core.net.TransportConfig;
import org.clusterbackup.core.net.PeerLimits;
import org.clusterbackup.core.protocol.Data;
import org.clusterbackup.core.protocol.RestoreEnd;
import org.clusterbackup.core.protocol.ProtocolLimits;
import org.clusterbackup.core.security.Identity;
import org.clusterbackup.core.security.Tls;

/**
 * What TLS costs on the product's own transport: the same bytes sent as data frames from a blocking client
 * (the agent's side of a backup) to the NIO listener (the server's side), once in plaintext and once over
 * TLS 1.3 with the daemons' identities, in one JVM on loopback; and the cost of connecting (TCP, handshake,
 * Hello exchange) each way. Both ends run here, so the CPU figures hold the encryption and the decryption.
 *
 * <p>Run by {@code bench/run} as a single-file program with the server's jars on the class path:
 * {@code java -cp 'backup-server-app/target/lib/*' bench/TlsCost.java --mib 105 --rounds 3}. Prints one line
 * of {@code key=value} pairs (milliseconds, medians of the rounds).
 */
public final class TlsCost {
    private TlsCost() {
    }

    public static void main(String[] args) throws Exception {
        long mib = 100;
        int rounds = 3;
        for (int i = 0; i < args.length; i += 2) {
            switch (args[i]) {
                case "--mib" -> mib = Long.parseLong(args[i + 1]);
                case "--rounds" -> rounds = Integer.parseInt(args[i + 1]);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        Path dir = Files.createTempDirectory("tls-cost");
        try {
            Identity listener = Identity.loadOrCreate(dir.resolve("listener"), "listener");
            Identity client = Identity.loadOrCreate(dir.resolve("client"), "client");
            TlsSettings serverTls = Tls.listener(listener, presented -> { });
            SSLContext clientTls = Tls.context(client, presented -> { });
            long bytes = mib * 1024 * 1024;
            // Warm-up of both paths (JIT, cipher set-up), then alternating measured rounds.
            long warmUp = Math.max(bytes / 4, 64L * 1024 * 1024); // enough for the JIT to compile the AES-GCM paths
            stream(null, null, warmUp);
            stream(serverTls, clientTls, warmUp);
            long[][] plain = new long[rounds][];
            long[][] tls = new long[rounds][];
            for (int r = 0; r < rounds; r++) {
                plain[r] = stream(null, null, bytes);
                tls[r] = stream(serverTls, clientTls, bytes);
            }
            double plainConnect = connects(null, null, 50);
            double tlsConnect = connects(serverTls, clientTls, 50);
            System.out.printf("bytes=%d plain_wall=%d plain_cpu=%d tls_wall=%d tls_cpu=%d plain_connect=%.2f tls_connect=%.2f%n",
                    bytes, median(plain, 0), median(plain, 1), median(tls, 0), median(tls, 1), plainConnect, tlsConnect);
        } finally {
            try (Stream<Path> s = Files.walk(dir)) {
                s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static long median(long[][] rows, int column) {
        long[] v = Arrays.stream(rows).mapToLong(r -> r[column]).sorted().toArray();
        return v[v.length / 2];
    }

    private static NioServer listen(TlsSettings tls, AtomicLong received) throws IOException {
        TransportConfig config = TransportConfig.of(new InetSocketAddress("127.0.0.1", 0), "server", Set.of("agent"))
                .withPeers(PeerLimits.of(PeerLimits.DATA_REQUESTS));
        if (tls != null) {
            config = config.withTls(tls);
        }
        return NioServer.start(config, c -> m -> {
            if (m instanceof Data d) {
                received.addAndGet(d.bytes().length);
            } else {
                c.send(new RestoreEnd()); // the end: everything before it has been received
            }
        });
    }

    /** Sends {@code bytes} in data frames and waits for the listener's word; {wall ms, process CPU ms}. */
    private static long[] stream(TlsSettings serverTls, SSLContext clientTls, long bytes) throws Exception {
        AtomicLong received = new AtomicLong();
        byte[] chunk = new byte[ProtocolLimits.DATA_CHUNK];
        new Random(1).nextBytes(chunk);
        try (NioServer server = listen(serverTls, received)) {
            long cpu0 = processCpuNanos();
            long t0 = System.nanoTime();
            try (BlockingConnection c = BlockingConnection.open(server.address(), "agent", Duration.ofSeconds(5),
                    Duration.ofSeconds(60), ProtocolLimits.DEFAULT, clientTls, null)) {
                for (long sent = 0; sent < bytes; sent += chunk.length) {
                    c.send(new Data(chunk));
                }
                c.send(new RestoreEnd());
                c.receive();
            }
            long wall = (System.nanoTime() - t0) / 1_000_000;
            long cpu = (processCpuNanos() - cpu0) / 1_000_000;
            if (received.get() < bytes) {
                throw new IllegalStateException("the listener received " + received.get() + " of " + bytes + " bytes");
            }
            return new long[] {wall, cpu};
        }
    }

    /** Mean milliseconds of one connection (TCP, handshake if any, Hello both ways) over {@code n}. */
    private static double connects(TlsSettings serverTls, SSLContext clientTls, int n) throws Exception {
        try (NioServer server = listen(serverTls, new AtomicLong())) {
            for (int i = 0; i < 5; i++) { // warm-up
                BlockingConnection.open(server.address(), "agent", Duration.ofSeconds(5), Duration.ofSeconds(10),
                        ProtocolLimits.DEFAULT, clientTls, null).close();
            }
            long t0 = System.nanoTime();
            for (int i = 0; i < n; i++) {
                BlockingConnection.open(server.address(), "agent", Duration.ofSeconds(5), Duration.ofSeconds(10),
                        ProtocolLimits.DEFAULT, clientTls, null).close();
            }
            return (System.nanoTime() - t0) / 1e6 / n;
        }
    }

    private static long processCpuNanos() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }
}
