package org.clusterbackup.core.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import org.clusterbackup.core.protocol.BackupRequest;
import org.clusterbackup.core.protocol.FrameEncoder;
import org.clusterbackup.core.protocol.Hello;
import org.clusterbackup.core.protocol.ListRequest;
import org.clusterbackup.core.protocol.Message;
import org.clusterbackup.core.protocol.ProtocolLimits;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Both daemons answer a plaintext peer with nothing but a closed socket. */
class PlaintextRefusedTest {
    @TempDir
    Path dir;

    Pipeline p;

    @BeforeEach
    void setUp() throws IOException {
        p = new Pipeline(dir).start();
    }

    @AfterEach
    void tearDown() throws IOException {
        p.close();
    }

    /** Sends a plaintext Hello and a request; returns the first byte read back (-1: closed, nothing sent). */
    private static int plaintext(InetSocketAddress address, String role, Message request) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(address, 2000);
            s.setSoTimeout(10_000);
            for (Message m : new Message[] {new Hello(ProtocolLimits.PROTOCOL_VERSION, role), request}) {
                ByteBuffer frame = FrameEncoder.encode(m, ProtocolLimits.DEFAULT);
                try {
                    s.getOutputStream().write(frame.array(), 0, frame.limit());
                } catch (java.net.SocketException closedAlready) {
                    break;
                }
            }
            InputStream in = s.getInputStream();
            try {
                return in.read();
            } catch (java.net.SocketException reset) {
                return -1;
            }
        }
    }

    @Test
    void theServerClosesOnAPlaintextClient() throws Exception {
        assertEquals(-1, plaintext(p.server.address(), "cli", new ListRequest()));
    }

    @Test
    void theAgentClosesOnAPlaintextServerAndReadsNothingForIt() throws Exception {
        assertEquals(-1, plaintext(p.agent.address(), "server", new BackupRequest(p.source.toString(), null, null)));
    }
}
