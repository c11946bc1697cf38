package org.clusterbackup.core.net;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import org.clusterbackup.core.protocol.Data;
import org.clusterbackup.core.protocol.FrameEncoder;
import org.clusterbackup.core.protocol.Hello;
import org.clusterbackup.core.protocol.ProtocolLimits;
import org.junit.jupiter.api.Test;

/**
 * Issue 15 item 2, the dialling side: a peer that stops reading what a blocking connection sends (an agent
 * fed a restore's archive) ends the send at the read timeout instead of blocking it for ever.
 */
class BlockingSendDeadlineTest {
    @Test
    void aSendToAPeerThatStopsReadingFailsAtTheReadTimeout() throws Exception {
        java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
        try (ServerSocket listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread peer = new Thread(() -> {
                try (Socket s = listener.accept()) {
                    ByteBuffer hello = FrameEncoder.encode(
                            new Hello(ProtocolLimits.PROTOCOL_VERSION, "agent"), ProtocolLimits.DEFAULT);
                    s.getOutputStream().write(hello.array(), 0, hello.limit());
                    s.getInputStream().read(new byte[64]); // the Hello's first bytes, then nothing more is read
                    done.await(60, java.util.concurrent.TimeUnit.SECONDS);
                } catch (java.io.IOException | InterruptedException ignored) {
                    // the test's assertion is on the sending side
                }
            });
            peer.start();
            try (BlockingConnection c = BlockingConnection.open(
                    new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), listener.getLocalPort()),
                    "server",
                    Duration.ofSeconds(2),
                    Duration.ofMillis(500),
                    ProtocolLimits.DEFAULT)) {
                byte[] chunk = new byte[ProtocolLimits.DATA_CHUNK];
                assertThrows(
                        SocketTimeoutException.class,
                        () -> assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
                            for (int i = 0; i < 1_000_000; i++) {
                                c.send(new Data(chunk));
                            }
                        }));
            } finally {
                done.countDown();
            }
            peer.join(30_000);
        }
    }
}
