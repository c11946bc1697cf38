package org.clusterbackup.core.net;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.clusterbackup.core.protocol.Data;
import org.clusterbackup.core.protocol.ErrorCode;
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
    /** Unsent bytes above which {@link #send} blocks. */
    static final long OUTBOX_HIGH_WATER = 1024 * 1024;
    static final long OUTBOX_LOW_WATER = 256 * 1024;
    /** Received, unhandled bytes above which the connection stops being read. */
    static final long INBOX_HIGH_WATER = 4L * 1024 * 1024;
    static final long INBOX_LOW_WATER = 1024 * 1024;
    private static final int NON_DATA_WEIGHT = 256;
    /** Handshake and Hello must be done by then (or by the idle timeout, if shorter). */
    private static final long HELLO_DEADLINE_NANOS = TimeUnit.SECONDS.toNanos(10);
    /** Until the peer has said who it is, it may send only small frames. */
    private static final ProtocolLimits HANDSHAKE_LIMITS = new ProtocolLimits(4096, ProtocolLimits.DATA_CHUNK);

    private final long id;
    private final NioServer server;
    private final SocketChannel channel;
    /** The channel itself, or the channel seen through TLS: frames are read and written through this. */
    private final ByteChannel transport;
    private final TransportConfig config;
    private final SocketAddress remote;
    private final FrameDecoder decoder;
    private SelectionKey key;
    private ConnectionHandler.Factory handlerFactory;
    private volatile ConnectionHandler handler;
    private volatile String peerRole = "?";
    private volatile String peerToken;

    private final ConcurrentLinkedQueue<Message> inbox = new ConcurrentLinkedQueue<>();
    private final AtomicLong inboxBytes = new AtomicLong();
    private final AtomicBoolean draining = new AtomicBoolean();
    private final OutboundQueue outbox = new OutboundQueue();
    private final AtomicBoolean writeRequested = new AtomicBoolean();
    private final Object writeSpace = new Object();
    private final AtomicBoolean closed = new AtomicBoolean();

    private volatile boolean closing;
    private volatile boolean busy;
    private volatile long lastReadNanos = System.nanoTime();
    private volatile long lastWriteNanos = System.nanoTime();
    private final long acceptedNanos = System.nanoTime();
    private boolean greeted; // selector
    private boolean readPaused; // selector

    NioConnection(long id, NioServer server, SocketChannel channel, TransportConfig config) throws IOException {
        this.id = id;
        this.server = server;
        this.channel = channel;
        this.config = config;
        this.remote = channel.getRemoteAddress();
        this.transport = config.tls() == null ? channel : new TlsChannel(channel, config.tls().newServerEngine());
        this.decoder = new FrameDecoder(HANDSHAKE_LIMITS);
    }

    void attach(SelectionKey key, ConnectionHandler.Factory factory) {
        this.key = key;
        this.handlerFactory = factory;
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
    public boolean isOpen() {
        return !closed.get() && !closing;
    }

    // ---- reading (selector thread) ----

    void onReadable(ByteBuffer buffer) throws IOException {
        buffer.clear();
        int n = transport.read(buffer);
        if (!transportFlushed()) {
            enableWrite(); // TLS handshake messages wait for socket space
        }
        if (n < 0) {
            if (!decoder.isIdle()) {
                LOG.log(Level.DEBUG, "[conn {0}] peer closed mid-frame", id);
            }
            closeNow();
            return;
        }
        if (n == 0 || closing) {
            return; // while an error is being flushed, whatever else the peer sends is dropped unread
        }
        lastReadNanos = System.nanoTime();
        buffer.flip();
        // A protocol error escapes to the selector loop, which answers it and closes.
        decoder.decode(buffer, this::received);
        if (!readPaused && inboxBytes.get() > INBOX_HIGH_WATER && key.isValid()) {
            readPaused = true;
            key.interestOps(key.interestOps() & ~SelectionKey.OP_READ);
        }
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
        if (message instanceof Hello) {
            fail(new ErrorReply(ErrorCode.PROTOCOL, "unexpected second Hello"));
            return;
        }
        inboxBytes.addAndGet(weight(message));
        inbox.add(message);
        if (draining.compareAndSet(false, true)) {
            server.execute(this::drain);
        }
    }

    private void greet(Message message) {
        if (!(message instanceof Hello hello)) {
            fail(new ErrorReply(ErrorCode.PROTOCOL, "expected Hello as the first frame, got "
                    + message.getClass().getSimpleName()));
            return;
        }
        if (hello.protocolVersion() != ProtocolLimits.PROTOCOL_VERSION) {
            fail(new ErrorReply(ErrorCode.PROTOCOL, "protocol version " + hello.protocolVersion()
                    + " is not supported; this " + config.role() + " speaks version " + ProtocolLimits.PROTOCOL_VERSION));
            return;
        }
        if (!config.acceptedRoles().contains(hello.role())) {
            fail(new ErrorReply(ErrorCode.REFUSED, "a " + hello.role() + " may not connect to this "
                    + config.role() + " (accepted: " + String.join(", ", config.acceptedRoles()) + ")"));
            return;
        }
        peerRole = hello.role();
        peerToken = hello.token();
        greeted = true;
        decoder.limits(config.limits());
        try {
            enqueue(FrameEncoder.encode(new Hello(ProtocolLimits.PROTOCOL_VERSION, config.role()), config.limits()));
        } catch (IOException e) {
            closeNow();
            return;
        }
        handler = handlerFactory.open(this);
    }

    /** False while TLS still holds ciphertext (records or handshake) that the socket did not take. */
    private boolean transportFlushed() throws IOException {
        return !(transport instanceof TlsChannel tls) || tls.flush();
    }

    private static long weight(Message m) {
        return m instanceof Data d ? d.bytes().length : NON_DATA_WEIGHT;
    }

    // ---- handling (worker threads, one at a time per connection) ----

    private void drain() {
        while (true) {
            busy = true;
            try {
                Message m;
                while ((m = inbox.poll()) != null) {
                    long left = inboxBytes.addAndGet(-weight(m));
                    if (left < INBOX_LOW_WATER) {
                        server.runOnSelector(this::resumeReading);
                    }
                    if (closed.get()) {
                        return;
                    }
                    handle(m);
                }
            } finally {
                busy = false;
                draining.set(false);
            }
            // A message may have arrived between the last poll and clearing the flag.
            if (inbox.isEmpty() || !draining.compareAndSet(false, true)) {
                return;
            }
        }
    }

    private void handle(Message m) {
        try {
            handler.onMessage(m);
        } catch (ClosedChannelException e) {
            closeNow();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            closeNow();
        } catch (Exception e) {
            LOG.log(Level.ERROR, "[conn " + id + "] handling " + m.getClass().getSimpleName() + " failed", e);
            fail(new ErrorReply(ErrorCode.INTERNAL, "internal error handling " + m.getClass().getSimpleName()
                    + ": " + e + " (see the " + config.role() + " log)"));
        }
    }

    private void resumeReading() {
        if (readPaused && key.isValid() && !closing && inboxBytes.get() < INBOX_LOW_WATER) {
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
        if (outbox.pendingBytes() > OUTBOX_HIGH_WATER) {
            awaitWriteSpace();
        }
    }

    private void awaitWriteSpace() throws IOException {
        synchronized (writeSpace) {
            while (outbox.pendingBytes() > OUTBOX_LOW_WATER && !closed.get()) {
                try {
                    writeSpace.wait(1000);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new java.io.InterruptedIOException("interrupted while waiting to send on connection " + id);
                }
            }
        }
        if (closed.get()) {
            throw new ClosedChannelException();
        }
    }

    private void enqueue(ByteBuffer frame) {
        outbox.add(frame);
        if (writeRequested.compareAndSet(false, true)) {
            server.runOnSelector(this::enableWrite);
        }
    }

    private void enableWrite() {
        if (key.isValid()) {
            key.interestOps(key.interestOps() | SelectionKey.OP_WRITE);
        }
    }

    void onWritable() throws IOException {
        if (outbox.writeTo(transport) > 0) {
            lastWriteNanos = System.nanoTime();
            if (outbox.pendingBytes() <= OUTBOX_LOW_WATER) {
                synchronized (writeSpace) {
                    writeSpace.notifyAll();
                }
            }
        }
        if (!outbox.isEmpty() || !transportFlushed()) {
            return; // the socket buffer is full: OP_WRITE stays on and we continue when it drains
        }
        writeRequested.set(false);
        if (!outbox.isEmpty() && writeRequested.compareAndSet(false, true)) {
            return; // a sender slipped in after the last write; stay interested in OP_WRITE
        }
        key.interestOps(key.interestOps() & ~SelectionKey.OP_WRITE);
        if (closing) {
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
        server.runOnSelector(() -> {
            if (key.isValid()) {
                key.interestOps(key.interestOps() & ~SelectionKey.OP_READ);
            }
        });
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
        synchronized (writeSpace) {
            writeSpace.notifyAll();
        }
        server.forget(this);
        ConnectionHandler h = handler;
        if (h != null) {
            try {
                server.execute(() -> {
                    try {
                        h.onClose();
                    } catch (RuntimeException e) {
                        LOG.log(Level.WARNING, "[conn " + id + "] onClose failed", e);
                    }
                });
            } catch (java.util.concurrent.RejectedExecutionException e) {
                LOG.log(Level.DEBUG, "[conn {0}] closed during shutdown", id);
            }
        }
        LOG.log(Level.DEBUG, "[conn {0}] closed", id);
    }

    private long helloDeadline() {
        return Math.min(config.idleTimeout().toNanos(), HELLO_DEADLINE_NANOS);
    }

    /** Selector thread, a few times a second: idle timeout and keep-alives. */
    void housekeeping(long now) {
        if (closed.get()) {
            return;
        }
        if (!greeted && now - acceptedNanos > helloDeadline()) {
            // A peer that has not finished its TLS handshake and Hello by now only holds a socket.
            LOG.log(Level.DEBUG, "[conn {0}] no Hello within {1} ms, closing", id,
                    TimeUnit.NANOSECONDS.toMillis(helloDeadline()));
            closeNow();
            return;
        }
        if (closing) {
            // An error is being flushed; a peer that does not read it does not get to keep the socket.
            if (now - lastWriteNanos > Math.min(config.idleTimeout().toNanos(), TimeUnit.SECONDS.toNanos(10))) {
                closeNow();
            }
            return;
        }
        if (busy) {
            if (now - lastWriteNanos > config.keepAliveInterval().toNanos() && outbox.isEmpty() && !closing) {
                try {
                    enqueue(FrameEncoder.encode(KeepAlive.INSTANCE, config.limits()));
                    lastWriteNanos = now;
                } catch (ProtocolException e) {
                    closeNow();
                }
            }
            return;
        }
        long idle = now - Math.max(lastReadNanos, lastWriteNanos);
        if (idle > config.idleTimeout().toNanos()) {
            LOG.log(Level.DEBUG, "[conn {0}] idle for {1} ms, closing", id, TimeUnit.NANOSECONDS.toMillis(idle));
            fail(new ErrorReply(ErrorCode.PROTOCOL, "closed after " + config.idleTimeout().toSeconds()
                    + " s of silence"));
        }
    }
}
