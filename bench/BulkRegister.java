import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.clusterbackup.core.model.HostPort;
import org.clusterbackup.core.net.BlockingConnection;
import org.clusterbackup.core.protocol.ProtocolLimits;
import org.clusterbackup.core.protocol.RegisterRequest;
import org.clusterbackup.core.protocol.TargetReply;
import org.clusterbackup.core.security.Fingerprint;
import org.clusterbackup.core.security.PeerIdentityException;
import org.clusterbackup.core.security.Tls;

/**
 * Registers many targets of one agent over one control connection, as {@code backupctl register} would one at
 * a time: the same TLS, server pinning and admin token, the same {@code RegisterRequest} and {@code TargetReply}
 * per target, but one handshake for all of them and up to {@value #WINDOW} requests in flight (the server
 * answers a connection's requests in order). For the bench until {@code backupctl register --from} exists.
 *
 * <p>Run as a single-file program with the server's jars on the class path:
 * {@code java -cp 'backup-server-app/target/lib/*' bench/BulkRegister.java SERVER FINGERPRINT TOKEN_FILE
 * NODE PORT EVERY_SECONDS PATHS_FILE}. Prints {@code registered=N ms=M}.
 */
public final class BulkRegister {
    private static final int WINDOW = 64;

    private BulkRegister() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 7) {
            System.err.println("usage: BulkRegister SERVER FINGERPRINT TOKEN_FILE NODE PORT EVERY_SECONDS PATHS_FILE");
            System.exit(2);
        }
        HostPort server = HostPort.parse(args[0], "server", false);
        Fingerprint expected = Fingerprint.parse(args[1], "the server's fingerprint");
        String token = Files.readString(Path.of(args[2])).strip();
        String node = args[3];
        int port = Integer.parseInt(args[4]);
        long every = Long.parseLong(args[5]);
        List<String> paths = Files.readAllLines(Path.of(args[6])).stream().filter(l -> !l.isBlank()).toList();

        long t0 = System.nanoTime();
        try (BlockingConnection c = BlockingConnection.open(new InetSocketAddress(server.host(), server.port()), "cli",
                Duration.ofSeconds(10), Duration.ofMinutes(2), ProtocolLimits.DEFAULT,
                Tls.context(null, presented -> {
                    if (!presented.equals(expected)) {
                        throw new PeerIdentityException("the server presented " + presented + ", not " + expected,
                                presented);
                    }
                }), token)) {
            int sent = 0;
            int answered = 0;
            while (answered < paths.size()) {
                while (sent < paths.size() && sent - answered < WINDOW) {
                    c.send(new RegisterRequest(node, port, paths.get(sent), every));
                    sent++;
                }
                c.expect(TargetReply.class);
                answered++;
            }
        }
        System.out.println("registered=" + paths.size() + " ms=" + (System.nanoTime() - t0) / 1_000_000);
    }
}
