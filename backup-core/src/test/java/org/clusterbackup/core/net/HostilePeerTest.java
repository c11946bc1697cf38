package org.clusterbackup.core.net;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.clusterbackup.core.model.ErrorCode;
import org.clusterbackup.core.protocol.Data;
import org.clusterbackup.core.protocol.ErrorReply;
import org.clusterbackup.core.protocol.Hello;
import org.clusterbackup.core.protocol.ListRequest;
import org.clusterbackup.core.protocol.Message;
import org.clusterbackup.core.protocol.MessageType;
import org.clusterbackup.core.protocol.ProtocolLimits;
import org.clusterbackup.core.protocol.TargetPage;
import org.clusterbackup.testkit.ManualClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Issue 15 items 1, 2 and 13: peers that hoard memory, stall, idle or crash a handler never take the listener down. */
class HostilePeerTest {
    private static final Hello CLI_HELLO = new Hello(ProtocolLimits.PROTOCOL_VERSION, "cli");
    private final ManualClock clock = new ManualClock(Instant.parse("2026-01-01T00:00:00Z"));
    private final CountDownLatch died = new CountDownLatch(1);
    private NioServer server;

    private InetSocketAddress start(TransportConfig config, ConnectionHandler.Factory handlers) throws IOException {
        server = NioServer.start(config, handlers, died::countDown);
        return server.address();
    }

    private InetSocketAddress start(TransportConfig config) throws IOException {
        return start(config, c -> message -> c.send(new TargetPage(List.of(), true)));
    }

    private TransportConfig config() {
        return TransportConfig.of(new InetSocketAddress("127.0.0.1", 0), "server", Set.of("cli"))
                .withClock(clock);
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static void assertServed(InetSocketAddress address) throws IOException {
        try (BlockingConnection c = BlockingConnection.open(
                address, "cli", Duration.ofSeconds(2), Duration.ofSeconds(10), ProtocolLimits.DEFAULT)) {
            c.send(new ListRequest());
            assertInstanceOf(TargetPage.class, c.receive());
        }
    }

    private static RawPeer greeted(InetSocketAddress address) throws IOException {
        RawPeer peer = new RawPeer(address, 10_000);
        peer.send(CLI_HELLO);
        assertInstanceOf(Hello.class, peer.next());
        return peer;
    }

    /** A frame header announcing {@code payload} bytes of the given type. */
    private static byte[] header(MessageType type, int payload) {
        return ByteBuffer.allocate(5)
                .putInt(payload + 1)
                .put((byte) type.code())
                .array();
    }

    @Test
    void partialFramesBeyondTheListenersBudgetAreRefusedWhileOthersAreServed() throws Exception {
        int frame = PeerLimits.CONTROL_REQUESTS.maxJsonPayload();
        InetSocketAddress address = start(
                config().withPeers(PeerLimits.of(PeerLimits.CONTROL_REQUESTS).withPartialFrameBudget(4L * frame)));
        // A valid ListRequest padded with spaces to the largest frame allowed; each peer sends all but its last byte.
        byte[] payload = new byte[frame];
        java.util.Arrays.fill(payload, (byte) ' ');
        payload[0] = '{';
        payload[frame - 1] = '}';
        List<RawPeer> peers = new ArrayList<>();
        try {
            for (int i = 0; i < 12; i++) {
                RawPeer p = greeted(address);
                peers.add(p);
                p.sendRaw(header(MessageType.LIST, frame));
                p.sendRaw(java.util.Arrays.copyOf(payload, frame - 1));
            }
            assertServed(address);
            int refused = 0;
            int answered = 0;
            for (RawPeer p : peers) {
                try {
                    p.sendRaw(new byte[] {'}'});
                } catch (IOException closedAlready) {
                    // a refused peer's socket may be reset by now
                }
                Message reply;
                try {
                    reply = p.next();
                } catch (java.net.SocketException reset) {
                    refused++; // refused and closed: our last byte drew a reset that may have dropped the reply
                    continue;
                }
                if (reply instanceof ErrorReply e) {
                    assertEquals(ErrorCode.BUSY, e.code(), e.message());
                    refused++;
                } else {
                    assertInstanceOf(TargetPage.class, reply);
                    answered++;
                }
            }
            assertTrue(refused > 0, "nobody was refused: the budget did not bound the partial frames");
            assertTrue(answered <= 4, answered + " partial frames were held at once; the budget holds 4");
        } finally {
            for (RawPeer p : peers) {
                p.close();
            }
        }
    }

    @Test
    void aControlRequestOverTheRequestLimitIsRefusedAtItsHeader() throws Exception {
        try (RawPeer peer = greeted(start(config()))) {
            peer.sendRaw(header(MessageType.REGISTER, 1024 * 1024));
            ErrorReply error = assertInstanceOf(ErrorReply.class, peer.next());
            assertEquals(ErrorCode.PROTOCOL, error.code());
            assertTrue(peer.closedByServer());
        }
    }

    @Test
    void anOutOfMemoryErrorInOneConnectionCostsOnlyThatConnection() throws Exception {
        AtomicInteger opened = new AtomicInteger();
        InetSocketAddress address = start(config(), c -> {
            if (opened.incrementAndGet() == 1) {
                throw new OutOfMemoryError("allocating this connection's handler failed");
            }
            return message -> c.send(new TargetPage(List.of(), true));
        });
        try (RawPeer first = new RawPeer(address, 10_000)) {
            first.send(CLI_HELLO);
            // The listener may greet before the failing handler's connection is closed: one frame may come first.
            boolean closed = first.closedByServer();
            if (!closed) {
                closed = first.closedByServer();
            }
            assertTrue(closed);
        }
        assertServed(address);
        assertEquals(1, died.getCount(), "the listener must live on");
    }

    @Test
    void anErrorTheListenerCannotSurviveEndsTheProcessRatherThanLeavingItDeaf() throws Exception {
        InetSocketAddress address = start(config(), c -> {
            throw new InternalError("the JVM is broken");
        });
        try (RawPeer peer = new RawPeer(address, 10_000)) {
            peer.send(CLI_HELLO);
            assertTrue(died.await(10, TimeUnit.SECONDS), "the listener died silently");
        }
    }

    @Test
    void aPeerThatNeverCompletesItsHelloIsClosedAtTheHandshakeDeadline() throws Exception {
        try (RawPeer peer = new RawPeer(start(config()), 250)) {
            peer.sendRaw(new byte[] {0}); // one byte of a header, then nothing
            // The listener may accept the connection after a first advance of the clock (its deadline then
            // counts from the later time), so the clock moves on until the deadline has passed for it.
            Message reply = null;
            for (int i = 0; i < 40 && reply == null; i++) {
                clock.advance(PeerLimits.DEFAULT_HANDSHAKE_TIMEOUT.plusSeconds(1));
                try {
                    reply = peer.next();
                } catch (java.net.SocketTimeoutException notYet) {
                    // not closed yet: advance again
                }
            }
            ErrorReply error = assertInstanceOf(ErrorReply.class, reply);
            assertTrue(error.message().contains("no Hello"), error.message());
            assertTrue(peer.closedByServer());
        }
    }

    @Test
    void halfOpenConnectionsAtTheCapAreEvictedForANewcomer() throws Exception {
        InetSocketAddress address = start(config().withMaxConnections(8));
        List<RawPeer> idle = new ArrayList<>();
        try {
            for (int i = 0; i < 8; i++) {
                idle.add(new RawPeer(address, 10_000)); // connected, never says Hello
            }
            for (int i = 0; i < 3; i++) {
                assertServed(address);
            }
            assertTrue(idle.get(0).closedByServer(), "the oldest half-open connection makes room first");
        } finally {
            for (RawPeer p : idle) {
                p.close();
            }
        }
    }

    @Test
    void idleGreetedConnectionsAtThePeerCapAreEvictedButBusyOnesAreNot() throws Exception {
        InetSocketAddress address = start(
                config().withPeers(PeerLimits.of(PeerLimits.CONTROL_REQUESTS).withMaxPerPeer(4)));
        List<RawPeer> idle = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                idle.add(greeted(address));
            }
            // Just greeted: not idle yet, so the newcomer is refused.
            IOException busy = org.junit.jupiter.api.Assertions.assertThrows(
                    RemoteErrorException.class, () -> assertServed(address));
            assertEquals(ErrorCode.BUSY, ((RemoteErrorException) busy).code());
            clock.advance(TransportConfig.DEFAULT_KEEP_ALIVE.plusSeconds(1));
            assertServed(address);
            assertTrue(idle.get(0).closedByServer());
        } finally {
            for (RawPeer p : idle) {
                p.close();
            }
        }
    }

    @Test
    void keepAlivesAloneDoNotKeepAnIdleConnectionFromEviction() throws Exception {
        InetSocketAddress address = start(config().withMaxConnections(2));
        try (RawPeer first = greeted(address);
                RawPeer second = greeted(address)) {
            for (int i = 0; i < 4; i++) {
                clock.advance(Duration.ofSeconds(3));
                first.send(org.clusterbackup.core.protocol.KeepAlive.INSTANCE);
                second.send(org.clusterbackup.core.protocol.KeepAlive.INSTANCE);
            }
            // The keep-alives may still be in flight: the newcomer is served once the listener has read them.
            assertServed(address);
            assertTrue(first.closedByServer());
        }
    }

    @Test
    void aPeerThatStopsReadingIsCutAtTheSendTimeoutAndItsSenderReleased() throws Exception {
        CountDownLatch senderReleased = new CountDownLatch(1);
        AtomicInteger opened = new AtomicInteger();
        InetSocketAddress address = start(
                config(),
                c -> opened.incrementAndGet() > 1
                        ? message -> c.send(new TargetPage(List.of(), true))
                        : message -> {
                            byte[] chunk = new byte[ProtocolLimits.DATA_CHUNK];
                            try {
                                for (int i = 0; i < 1_000_000; i++) {
                                    c.send(new Data(chunk)); // blocks once the peer's buffers are full
                                }
                            } finally {
                                senderReleased.countDown();
                            }
                        });
        try (RawPeer peer = greeted(address)) {
            peer.send(new ListRequest()); // and never read again
            boolean released = false;
            for (int i = 0; i < 100 && !released; i++) {
                clock.advance(PeerLimits.DEFAULT_SEND_TIMEOUT.plusSeconds(1));
                released = senderReleased.await(200, TimeUnit.MILLISECONDS);
            }
            assertTrue(released, "the handler is still blocked sending to a peer that reads nothing");
        }
        assertServed(address);
    }

    @Test
    void aKeyCancelledBeforeTheWriteCompletesClosesQuietly() throws Exception {
        TransportConfig config = config();
        start(config);
        try (ServerSocketChannel listener = ServerSocketChannel.open();
                Selector selector = Selector.open()) {
            listener.bind(new InetSocketAddress("127.0.0.1", 0));
            try (SocketChannel client = SocketChannel.open(listener.getLocalAddress());
                    SocketChannel accepted = listener.accept()) {
                accepted.configureBlocking(false);
                SelectionKey key = accepted.register(selector, SelectionKey.OP_READ);
                NioConnection c = new NioConnection(
                        -1, server, accepted, config, new FrameBudget(1 << 20), new IdlePolicy(config));
                c.attach(key, conn -> message -> {});
                c.send(new ErrorReply(ErrorCode.BUSY, "x".repeat(10)));
                key.cancel(); // what a close on another thread does between the select and the write
                assertDoesNotThrow(c::onWritable);
                assertFalse(c.isOpen());
                assertTrue(client.isOpen());
            }
        }
    }

    @Test
    void aPeerThatDoesNotSpeakTheProtocolGetsFixedWordsNotItsOwnBytesBack() throws Exception {
        try (RawPeer peer = new RawPeer(start(config()), 10_000)) {
            String probe = "{\"protocolVersion\": \"SECRET-PROBE-TOKEN\"}";
            peer.sendRaw(header(MessageType.HELLO, probe.length()));
            peer.sendRaw(probe.getBytes(StandardCharsets.UTF_8));
            ErrorReply error = assertInstanceOf(ErrorReply.class, peer.next());
            assertEquals(ErrorCode.PROTOCOL, error.code());
            assertFalse(error.message().contains("SECRET"), error.message());
            assertTrue(error.message().contains("not a Hello frame of its protocol"), error.message());
        }
    }
}
