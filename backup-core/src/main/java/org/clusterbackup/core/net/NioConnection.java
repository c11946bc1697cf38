package org.clusterbackup.core.net;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.concurrent.atomic.AtomicBoolean;
import org.clusterbackup.core.model.ErrorCode;
import org.clusterbackup.core.protocol.ErrorReply;
import org.clusterbackup.core.protocol.FrameDecoder;
import org.clusterbackup.core.protocol.FrameEncoder;
import org.clusterbackup.core.protocol.Hello;
import org.clusterbackup.core.protocol.KeepAlive;
import org.clusterbackup.core.protocol.Message;
import org.clusterbackup.core.protocol.ProtocolException;
import org.clusterbackup.core.protocol.ProtocolLimits;

/**
 * State of one accepted connection. Fields marked "selector" are touched only by the selector thread;
 * the queues and counters are shared with worker threads.
 */
final class NioConnection implements Connection {
    private static final System.Logger LOG = System.getLogger(NioConnection.class.getName());

    private final long id;
    private final NioServer server;
    private final SocketChannel channel;
    /** The channel itself, or the channel seen through TLS: frames are read and written through this. */
    private final ByteChannel transport;

    private final TransportConfig config;
    private final SocketAddress remote;
    private final FrameDecoder decoder;
    private final PartialFrameHold partial;
    private final IdlePolicy policy;
    private final long acceptedMillis;
    private SelectionKey key;
    private ConnectionHandler.Factory handlerFactory;
    private volatile String peerRole = "?";
    private volatile String peerToken;
    private volatile java.security.cert.Certificate peerCertificate;
    private volatile boolean authenticated;

    /** Requests received and not yet handled, and the handler that takes them on worker threads. */
    private final RequestDispatch requests;

    private final InboundQueue inbox;
    private final WriteGate out;
    private final AtomicBoolean writeRequested = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();

    private volatile boolean closing;
    /** The peer ended its stream (a half-close): answer what it asked, then close. */
    private volatile boolean peerEnded;

    private volatile long lastReadMillis;
    private volatile long lastRequestMillis;
    private volatile boolean greeted; // written by the selector thread only
    private boolean readPaused; // selector

    NioConnection(
            long id,
            NioServer server,
            SocketChannel channel,
            TransportConfig config,
            FrameBudget budget,
            IdlePolicy policy)
            throws IOException {
        this.id = id;
        this.server = server;
        this.channel = channel;
        this.config = config;
        this.partial = new PartialFrameHold(budget);
        this.policy = policy;
        this.remote = channel.getRemoteAddress();
        this.transport = config.tls() == null
                ? channel
                : new TlsChannel(channel, config.tls().newServerEngine());
        this.decoder = new FrameDecoder(Handshake.LIMITS);
        this.acceptedMillis = now();
        this.lastReadMillis = acceptedMillis;
        this.lastRequestMillis = acceptedMillis;
        this.out = new WriteGate(acceptedMillis);
        this.requests = new RequestDispatch(
                server, this, config.role(), closed::get, () -> server.runOnSelector(this::resumeReading), () -> {
                    if (peerEnded) {
                        server.runOnSelector(this::finishAfterPeerEnded);
                    }
                });
        this.inbox = requests.inbox();
    }

    void attach(SelectionKey key, ConnectionHandler.Factory factory) {
        this.key = key;
        this.handlerFactory = factory;
    }

    private long now() {
        return config.clock().millis();
    }

    @Override
    public long id() {
        return id;
    }

    @Override
    public SocketAddress remoteAddress() {
        return remote;
    }

    @Override
    public String peerRole() {
        return peerRole;
    }

    @Override
    public String peerToken() {
        return peerToken;
    }

    @Override
    public java.security.cert.Certificate peerCertificate() {
        return peerCertificate;
    }

    @Override
    public void authenticated() {
        authenticated = true;
    }

    /**
     * True once the peer proved who it is beyond its {@code Hello}: a handler says so (the control plane after
     * a request's token passed, the data plane once its pinned TLS peer greeted). Until then the connection
     * is the first to go when room is needed.
     */
    boolean isAuthenticated() {
        return authenticated;
    }

    @Override
    public boolean isOpen() {
        return !closed.get() && !closing;
    }

    /** True once the peer's {@code Hello} was accepted. */
    boolean greeted() {
        return greeted;
    }

    // ---- reading (selector thread) ----

    void onReadable(ByteBuffer buffer) throws IOException {
        buffer.clear();
        int n = transport.read(buffer);
        if (!transportFlushed()) {
            enableWrite(); // TLS handshake messages wait for socket space
        }
        if (n < 0 && closing) {
            stopReading(); // an Error (fail) is still to go out, closing now would drop it: onWritable closes
            return;
        }
        if (n < 0) {
            if (!decoder.isIdle()) {
                LOG.log(Level.DEBUG, "[conn {0}] peer closed mid-frame", id);
                closeNow();
                return;
            }
            peerEnded();
            return;
        }
        if (n == 0 || closing) {
            return; // while an error is being flushed, whatever else the peer sends is dropped unread
        }
        lastReadMillis = now();
        buffer.flip();
        // A protocol error escapes to the selector loop, which answers it and closes.
        decoder.decode(buffer, this::received);
        holdPartialFrame();
        if (!readPaused && inbox.overHighWater() && key.isValid()) {
            readPaused = true;
            key.interestOps(key.interestOps() & ~SelectionKey.OP_READ);
        }
    }

    /**
     * Selector thread: the peer ended its stream after whole frames. It may only have half-closed, sent its
     * requests and be waiting for the answers: stop reading, let the handler answer what was queued, then
     * close once those answers are written ({@link #finishAfterPeerEnded}).
     */
    private void peerEnded() {
        if (!greeted || closing) {
            closeNow();
            return;
        }
        peerEnded = true;
        stopReading(); // more reads would only see the end again
        finishAfterPeerEnded();
    }

    /**
     * Selector thread, after the peer ended its stream and again after each drain of the inbox: once nothing
     * is queued or being handled, the connection closes as soon as what it has to write is out.
     */
    private void finishAfterPeerEnded() {
        if (closed.get() || closing || !inbox.idle()) {
            return;
        }
        closing = true;
        enableWrite(); // onWritable closes once the last answer is out, at once if there is none
    }

    /** Counts this connection's partial frame in the listener's budget; refuses the one that overdraws it. */
    private void holdPartialFrame() {
        if (partial.hold(closed.get() ? 0 : decoder.bufferedBytes())) {
            return;
        }
        LOG.log(
                Level.WARNING,
                "[conn {0}] {1} holds {2} bytes of partial frames, its limit; refusing {3}",
                id,
                config.role(),
                partial.listenerTotal(),
                remote);
        fail(new ErrorReply(
                ErrorCode.BUSY,
                "this " + config.role() + " holds as many partly received frames as it may; try again later"));
        partial.release();
    }

    private void received(Message message) {
        if (closing || closed.get()) {
            return;
        }
        if (!greeted) {
            greet(message);
            return;
        }
        if (message instanceof KeepAlive) {
            return; // it only proves the peer is alive, which the read already recorded
        }
        lastRequestMillis = lastReadMillis;
        if (message instanceof Hello) {
            fail(new ErrorReply(ErrorCode.PROTOCOL, "unexpected second Hello"));
            return;
        }
        requests.offer(message);
    }

    private void greet(Message message) {
        ErrorReply refusal = Handshake.refusal(message, config);
        if (refusal != null) {
            fail(refusal);
            return;
        }
        Hello hello = (Hello) message;
        peerRole = hello.role();
        peerToken = hello.token();
        peerCertificate = transport instanceof TlsChannel tls ? tls.peerCertificate() : null;
        greeted = true;
        lastRequestMillis = lastReadMillis;
        decoder.limits(config.peers().requestLimits());
        try {
            enqueue(FrameEncoder.encode(new Hello(ProtocolLimits.PROTOCOL_VERSION, config.role()), config.limits()));
        } catch (IOException e) {
            closeNow();
            return;
        }
        requests.open(handlerFactory.open(this));
    }

    /** False while TLS still holds ciphertext (records or handshake) that the socket did not take. */
    private boolean transportFlushed() throws IOException {
        return !(transport instanceof TlsChannel tls) || tls.flush();
    }

    private void resumeReading() {
        if (readPaused && key.isValid() && !closing && inbox.underLowWater()) {
            readPaused = false;
            key.interestOps(key.interestOps() | SelectionKey.OP_READ);
        }
    }

    // ---- writing ----

    @Override
    public void send(Message message) throws IOException {
        if (closing || closed.get()) {
            throw new ClosedChannelException();
        }
        enqueue(FrameEncoder.encode(message, config.limits()));
        out.awaitSpace(closed::get, id);
    }

    private void enqueue(ByteBuffer frame) {
        out.add(frame, now());
        if (writeRequested.compareAndSet(false, true)) {
            server.runOnSelector(this::enableWrite);
        }
    }

    private void stopReading() {
        if (key.isValid()) {
            key.interestOps(key.interestOps() & ~SelectionKey.OP_READ);
        }
    }

    private void enableWrite() {
        if (key.isValid()) {
            key.interestOps(key.interestOps() | SelectionKey.OP_WRITE);
        }
    }

    void onWritable() throws IOException {
        out.writeTo(transport, now());
        if (!out.isEmpty() || !transportFlushed()) {
            return; // the socket buffer is full: OP_WRITE stays on and we continue when it drains
        }
        writeRequested.set(false);
        if (!out.isEmpty() && writeRequested.compareAndSet(false, true)) {
            return; // a sender slipped in after the last write; stay interested in OP_WRITE
        }
        try {
            key.interestOps(key.interestOps() & ~SelectionKey.OP_WRITE);
        } catch (CancelledKeyException e) {
            // Closed meanwhile (the peer reset, or shutdown): nothing is left to write to. Not an error.
            closeNow();
            return;
        }
        if (closing) {
            if (transport instanceof TlsChannel tls) {
                tls.closeOutputAndDrain(); // the Error is out: end the stream cleanly, not with a reset
            }
            closeNow();
        }
    }

    // ---- closing ----

    @Override
    public void fail(ErrorReply error) {
        if (closing || closed.get()) {
            return;
        }
        closing = true;
        try {
            enqueue(FrameEncoder.encode(error, config.limits()));
        } catch (ProtocolException e) {
            close();
            return;
        }
        server.runOnSelector(this::stopReading);
    }

    @Override
    public void close() {
        closing = true;
        server.runOnSelector(this::closeNow);
    }

    /** Selector thread (or shutdown): closes the socket and releases every waiter. */
    void closeNow() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        closing = true;
        if (key != null) {
            key.cancel();
        }
        try {
            transport.close();
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "[conn {0}] close: {1}", id, e.toString());
        }
        partial.release();
        out.wakeSenders();
        server.forget(this);
        requests.closed();
        LOG.log(Level.DEBUG, "[conn {0}] closed", id);
    }

    private IdlePolicy.State state() {
        return new IdlePolicy.State(
                greeted,
                closing,
                inbox.busy(),
                acceptedMillis,
                lastReadMillis,
                lastRequestMillis,
                out.lastWriteMillis());
    }

    /** Selector thread: may this connection be closed to make room for a newcomer? */
    boolean evictable() {
        return !closed.get() && policy.evictable(state(), out, inbox.isEmpty(), now());
    }

    /** Selector thread, a few times a second: the deadlines and keep-alives. */
    void housekeeping() {
        if (closed.get()) {
            return;
        }
        long now = now();
        switch (policy.judge(state(), out, now)) {
            case KEEP_ALIVE -> {
                try {
                    enqueue(FrameEncoder.encode(KeepAlive.INSTANCE, config.limits()));
                    out.wrote(now);
                } catch (ProtocolException e) {
                    closeNow();
                }
            }
            case HANDSHAKE_EXPIRED -> {
                LOG.log(Level.DEBUG, "[conn {0}] no Hello from {1} in time, closing", id, remote);
                if (transport instanceof TlsChannel) {
                    // A peer that has not finished its TLS handshake and Hello by now only holds a socket; an
                    // Error could not reach it through an unfinished handshake.
                    closeNow();
                } else {
                    fail(new ErrorReply(
                            ErrorCode.PROTOCOL,
                            "closed: no Hello within "
                                    + policy.handshakeDeadline().toSeconds() + " s"));
                }
            }
            case IDLE -> {
                LOG.log(Level.DEBUG, "[conn {0}] idle, closing", id);
                fail(new ErrorReply(
                        ErrorCode.PROTOCOL,
                        "closed after " + config.idleTimeout().toSeconds() + " s of silence"));
            }
            case STALLED -> {
                LOG.log(
                        Level.INFO,
                        "[conn {0}] {1} read nothing for {2} s; closing",
                        id,
                        remote,
                        config.peers().sendTimeout().toSeconds());
                closeNow();
            }
            case ERROR_UNREAD -> closeNow();
            case NONE -> {}
        }
    }
}
