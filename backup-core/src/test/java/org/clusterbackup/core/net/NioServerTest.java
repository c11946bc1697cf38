package org.clusterbackup.core.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.clusterbackup.core.model.ErrorCode;
import org.clusterbackup.core.protocol.ErrorReply;
import org.clusterbackup.core.protocol.Hello;
import org.clusterbackup.core.protocol.KeepAlive;
import org.clusterbackup.core.protocol.ListRequest;
import org.clusterbackup.core.protocol.Message;
import org.clusterbackup.core.protocol.ProtocolLimits;
import org.clusterbackup.core.protocol.RegisterRequest;
import org.clusterbackup.core.protocol.TargetPage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class NioServerTest {
    private static final Hello CLI_HELLO = new Hello(ProtocolLimits.PROTOCOL_VERSION, "cli");
    private final CountDownLatch release = new CountDownLatch(1);
    private NioServer server;

    /** Answers ListRequest at once; holds a RegisterRequest until the test releases it. */
    private ConnectionHandler handler(Connection c) {
        return message -> {
            if (message instanceof RegisterRequest) {
                release.await(10, TimeUnit.SECONDS);
            }
            c.send(new TargetPage(List.of(), true));
        };
    }

    private InetSocketAddress start(TransportConfig config) throws IOException {
        server = NioServer.start(config, this::handler);
        return server.address();
    }

    private static TransportConfig config() {
        return TransportConfig.of(new InetSocketAddress("127.0.0.1", 0), "server", Set.of("cli"));
    }

    @AfterEach
    void stop() {
        release.countDown();
        if (server != null) {
            server.close();
        }
    }

    @Test
    void portZeroBindsAFreePort() throws Exception {
        assertTrue(start(config()).getPort() > 0);
    }

    @Test
    void garbageGetsAnErrorAndACloseWhileTheNextClientIsServed() throws Exception {
        InetSocketAddress address = start(config());
        byte[] garbage = new byte[1 << 20];
        new Random(7).nextBytes(garbage);
        try (RawPeer bad = new RawPeer(address, 5000)) {
            try {
                bad.sendRaw(garbage);
            } catch (IOException closedWhileWeWrote) {
                // the server may close before all of the megabyte is written; that is the point
            }
            Message reply = bad.next();
            ErrorReply error = assertInstanceOf(ErrorReply.class, reply);
            assertEquals(ErrorCode.PROTOCOL, error.code());
            assertTrue(bad.closedByServer());
        }
        try (BlockingConnection good = open(address)) {
            good.send(new ListRequest());
            assertInstanceOf(TargetPage.class, good.receive());
        }
    }

    @Test
    void theFirstFrameMustBeHello() throws Exception {
        try (RawPeer peer = new RawPeer(start(config()), 5000)) {
            peer.send(new ListRequest());
            ErrorReply error = assertInstanceOf(ErrorReply.class, peer.next());
            assertTrue(error.message().contains("expected Hello"), error.message());
            assertTrue(peer.closedByServer());
        }
    }

    @Test
    void aWrongProtocolVersionIsRefusedWithAClearError() throws Exception {
        try (RawPeer peer = new RawPeer(start(config()), 5000)) {
            peer.send(new Hello(99, "cli"));
            ErrorReply error = assertInstanceOf(ErrorReply.class, peer.next());
            assertEquals(ErrorCode.PROTOCOL, error.code());
            assertTrue(error.message().contains("protocol version 99"), error.message());
        }
    }

    @Test
    void aRoleThatMayNotConnectIsRefused() throws Exception {
        InetSocketAddress address = start(config());
        RemoteErrorException e = assertThrows(
                RemoteErrorException.class,
                () -> BlockingConnection.open(
                        address, "agent", Duration.ofSeconds(2), Duration.ofSeconds(5), ProtocolLimits.DEFAULT));
        assertEquals(ErrorCode.REFUSED, e.code());
    }

    @Test
    void oneConnectionOverTheCapGetsBusy() throws Exception {
        InetSocketAddress address = start(config().withMaxConnections(1));
        try (BlockingConnection first = open(address)) {
            RemoteErrorException e = assertThrows(RemoteErrorException.class, () -> open(address));
            assertEquals(ErrorCode.BUSY, e.code());
            first.send(new ListRequest());
            assertInstanceOf(TargetPage.class, first.receive());
        }
    }

    @Test
    void aBusyRequestIsKeptAliveAndNotCutByTheIdleTimeout() throws Exception {
        InetSocketAddress address = start(config().withTimeouts(Duration.ofMillis(300), Duration.ofMillis(50)));
        try (RawPeer peer = new RawPeer(address, 5000)) {
            peer.send(CLI_HELLO);
            assertInstanceOf(Hello.class, peer.next());
            peer.send(new RegisterRequest("n", 1, "/p", 60));
            // While the handler is held, the server must keep sending keep-alives; far more than the idle
            // timeout's worth of them proves the connection was never cut for silence.
            for (int i = 0; i < 10; i++) {
                assertInstanceOf(KeepAlive.class, peer.next());
            }
            release.countDown();
            Message reply;
            do {
                reply = peer.next();
            } while (reply instanceof KeepAlive);
            assertInstanceOf(TargetPage.class, reply);
        }
    }

    @Test
    void aSilentConnectionIsClosedAfterTheIdleTimeout() throws Exception {
        InetSocketAddress address = start(config().withTimeouts(Duration.ofMillis(200), Duration.ofMillis(50)));
        try (RawPeer peer = new RawPeer(address, 10_000)) {
            peer.send(CLI_HELLO);
            assertInstanceOf(Hello.class, peer.next());
            ErrorReply error = assertInstanceOf(ErrorReply.class, peer.next());
            assertTrue(error.message().contains("silence"), error.message());
            assertTrue(peer.closedByServer());
        }
    }

    @Test
    void requestsOnOneConnectionAreAnsweredInOrder() throws Exception {
        try (BlockingConnection c = open(start(config()))) {
            for (int i = 0; i < 50; i++) {
                c.send(new ListRequest());
            }
            for (int i = 0; i < 50; i++) {
                assertInstanceOf(TargetPage.class, c.receive());
            }
        }
    }

    private static BlockingConnection open(InetSocketAddress address) throws IOException {
        return BlockingConnection.open(
                address, "cli", Duration.ofSeconds(2), Duration.ofSeconds(5), ProtocolLimits.DEFAULT);
    }

    /**
     * A peer that sends its requests and half-closes gets every answer, even one still being worked on when
     * its end of stream arrives, and then the server closes. It used to close at the end of stream and drop
     * them.
     */
    @Test
    void aPeerThatHalfClosesAfterItsRequestsGetsEveryAnswerThenTheClose() throws Exception {
        InetSocketAddress address = start(config());
        try (RawPeer peer = new RawPeer(address, 10_000)) {
            peer.send(CLI_HELLO);
            peer.send(new ListRequest());
            peer.send(new RegisterRequest("127.0.0.2", 7071, "/srv", 60));
            peer.send(new ListRequest());
            peer.shutdownOutput();
            assertInstanceOf(Hello.class, peer.next());
            assertInstanceOf(TargetPage.class, peer.next());
            // The held request is being handled: the connection stays open, not closed at the end of stream.
            assertTrue(peer.silentFor(300), "the server closed while a request was being handled");
            release.countDown();
            assertInstanceOf(TargetPage.class, peer.next());
            assertInstanceOf(TargetPage.class, peer.next());
            assertTrue(peer.closedByServer(), "the server closes once every answer is out");
        }
    }

    /**
     * A peer that sends a bad frame and half-closes at once gets its Error before the close. The selector is
     * held (its wait hook) while the bad frame and the end of the stream both arrive, so it reads them in two
     * rounds before the Error is written: it used to close on reading the end, with the Error unsent.
     */
    @Test
    void aBadFrameFollowedByTheEndOfTheStreamStillGetsItsError() throws Exception {
        AtomicBoolean armed = new AtomicBoolean();
        CountDownLatch held = new CountDownLatch(1);
        CountDownLatch resume = new CountDownLatch(1);
        server = NioServer.start(config(), this::handler, () -> {}, timeout -> {
            if (armed.getAndSet(false)) {
                held.countDown();
                try {
                    resume.await(10, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        });
        try (RawPeer peer = new RawPeer(server.address(), 5000)) {
            peer.send(CLI_HELLO);
            assertInstanceOf(Hello.class, peer.next());
            armed.set(true);
            assertTrue(held.await(10, TimeUnit.SECONDS), "the selector never came round to wait");
            peer.sendRaw(new byte[] {0, 0, 0, 1, (byte) 0xEE}); // a frame of an unknown type
            peer.shutdownOutput();
            resume.countDown();
            ErrorReply error = assertInstanceOf(ErrorReply.class, peer.next());
            assertEquals(ErrorCode.PROTOCOL, error.code());
            assertTrue(peer.closedByServer());
        }
    }

    /**
     * An idle listener waits without a time limit: with no connection open there is no deadline to keep, so
     * its selector does not wake for housekeeping (it used to, four times a second, for nothing). With a
     * connection open it wakes to keep that connection's deadlines, and sleeps again once it is gone.
     */
    @Test
    void anIdleListenerWaitsWithoutATimeLimitAndWakesForHousekeepingOnlyWhileConnectionsAreOpen() throws Exception {
        BlockingQueue<Long> waits = new LinkedBlockingQueue<>();
        server = NioServer.start(config(), this::handler, () -> {}, waits::add);
        assertEquals(0L, waits.poll(10, TimeUnit.SECONDS), "no connection yet: no time limit");
        try (BlockingConnection client = open(server.address())) {
            client.send(new ListRequest());
            assertInstanceOf(TargetPage.class, client.receive());
            awaitWait(waits, 250L);
        }
        awaitWait(waits, 0L);
    }

    /** Takes the selector's waits until one of {@code expected} ms; fails if none comes within 10 s. */
    private static void awaitWait(BlockingQueue<Long> waits, long expected) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            Long wait = waits.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (wait != null && wait == expected) {
                return;
            }
        }
        throw new AssertionError("the selector never waited " + expected + " ms");
    }
}
