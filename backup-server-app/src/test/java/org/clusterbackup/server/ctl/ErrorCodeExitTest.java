package org.clusterbackup.server.ctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import org.clusterbackup.core.client.OperatorAccess;
import org.clusterbackup.core.model.ErrorCode;
import org.clusterbackup.core.protocol.ErrorReply;
import org.clusterbackup.core.protocol.FrameEncoder;
import org.clusterbackup.core.protocol.ProtocolLimits;
import org.clusterbackup.core.security.Identity;
import org.clusterbackup.core.security.PeerCheck;
import org.clusterbackup.core.security.Tls;
import org.clusterbackup.core.server.api.BackupServer;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every error code a server can answer with ends backupctl with the contract's exit code and a line that says what it was. */
class ErrorCodeExitTest {
    private static final Map<ErrorCode, Integer> CONTRACT = new EnumMap<>(Map.ofEntries(
            Map.entry(ErrorCode.BAD_REQUEST, 2),
            Map.entry(ErrorCode.NOT_FOUND, 3),
            Map.entry(ErrorCode.DUPLICATE, 3),
            Map.entry(ErrorCode.AMBIGUOUS, 3),
            Map.entry(ErrorCode.REFUSED, 3),
            Map.entry(ErrorCode.PROTOCOL, 4),
            Map.entry(ErrorCode.BUSY, 4),
            Map.entry(ErrorCode.UNREACHABLE, 4),
            Map.entry(ErrorCode.UNKNOWN, 4),
            Map.entry(ErrorCode.FAILED, 5),
            Map.entry(ErrorCode.INTEGRITY, 6),
            Map.entry(ErrorCode.UNAUTHORIZED, 7),
            Map.entry(ErrorCode.FORBIDDEN, 7),
            Map.entry(ErrorCode.INTERNAL, 1)));

    private static final Map<ErrorCode, String> INTRODUCED = Map.of(
            ErrorCode.PROTOCOL, "protocol failure talking to the server: ",
            ErrorCode.BUSY, "the server is busy: ",
            ErrorCode.INTERNAL, "the server reported an internal error: ",
            ErrorCode.UNKNOWN, "the server reported an error this backupctl does not know: ");

    @TempDir
    Path dir;

    @ParameterizedTest
    @EnumSource(ErrorCode.class)
    void aServerAnsweringWithTheCodeEndsTheCommandWithItsExitCode(ErrorCode code) throws Exception {
        // A server as backupctl meets one: over TLS, with an identity the operator pinned.
        Identity identity = Identity.loadOrCreate(dir, BackupServer.IDENTITY_NAME);
        try (ServerSocket listener = Tls.context(identity, PeerCheck.NONE)
                .getServerSocketFactory()
                .createServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread answerer = new Thread(() -> answerOnce(listener, code), "answers " + code);
            answerer.start();
            CtlRunner.Result r = new CtlRunner(Map.of(
                            OperatorAccess.FINGERPRINT_ENV,
                            identity.fingerprint().value(),
                            OperatorAccess.TOKEN_ENV,
                            "any"))
                    .run("--server", "127.0.0.1:" + listener.getLocalPort(), "list");
            answerer.join();

            assertEquals(CONTRACT.get(code), r.exit(), r.toString());
            assertEquals(
                    "backupctl list: " + INTRODUCED.getOrDefault(code, "") + "answer " + code,
                    r.err().strip(),
                    r.toString());
            assertTrue(r.out().isEmpty(), r.out());
        }
    }

    /** Reads nothing: a server's Error may answer the client's Hello at once (that is how BUSY is sent). */
    private static void answerOnce(ServerSocket listener, ErrorCode code) {
        try (Socket s = listener.accept();
                OutputStream out = s.getOutputStream()) {
            ByteBuffer frame = FrameEncoder.encode(new ErrorReply(code, "answer " + code), ProtocolLimits.DEFAULT);
            out.write(frame.array(), frame.arrayOffset() + frame.position(), frame.remaining());
            out.flush();
            s.shutdownOutput();
            s.getInputStream().readAllBytes();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
