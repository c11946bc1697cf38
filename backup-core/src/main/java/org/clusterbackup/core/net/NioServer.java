package org.clusterbackup.core.net;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongConsumer;
import org.clusterbackup.core.concurrent.DaemonThreads;
import org.clusterbackup.core.model.ErrorCode;
import org.clusterbackup.core.protocol.ErrorReply;
import org.clusterbackup.core.protocol.FrameEncoder;
import org.clusterbackup.core.protocol.ProtocolException;

/**
 * A selector-based listener: one thread accepts, reads and writes for every connection; decoded messages
 * are handed to a {@link ConnectionHandler} on worker threads. Flow control runs both ways: a connection
 * whose handler lags stops being read (TCP then slows the peer), and a sender blocks while its unsent
 * frames exceed a high-water mark. A peer that breaks the protocol gets an {@code Error} and a close;
 * nobody else notices. Peers cannot hoard it either: partial frames share a budget, connections that never
 * greet or sit idle make room for newcomers at the caps, and the handshake, idle and send deadlines close
 * the rest ({@link PeerLimits}). Whatever serving one connection throws costs that connection only; if the
 * selector loop itself ends, so does the process, rather than living on without its listener.
 */
public final class NioServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(NioServer.class.getName());
    private static final AtomicLong CONNECTION_IDS = new AtomicLong();
    private static final long HOUSEKEEPING_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

    private final TransportConfig config;
    private final ConnectionHandler.Factory handlers;
    private final Selector selector;
    private final ServerSocketChannel listener;
    private final InetSocketAddress boundAddress;
    private final ExecutorService workers;
    private final Thread selectorThread;
    private final ConcurrentLinkedQueue<Runnable> selectorTasks = new ConcurrentLinkedQueue<>();
    private final Map<Long, NioConnection> connections = new ConcurrentHashMap<>();
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(64 * 1024);
    private final FrameBudget budget;
    private final IdlePolicy policy;
    private final Admission admission;
    private final Runnable onDeath;
    private final LongConsumer beforeSelect;
    private volatile boolean running = true;
    private long lastHousekeeping = System.nanoTime();

    private NioServer(
            TransportConfig config, ConnectionHandler.Factory handlers, Runnable onDeath, LongConsumer beforeSelect)
            throws IOException {
        this.config = config;
        this.handlers = handlers;
        this.onDeath = onDeath;
        this.beforeSelect = beforeSelect;
        this.budget = new FrameBudget(config.peers().partialFrameBudget());
        this.policy = new IdlePolicy(config);
        this.admission = new Admission(config);
        this.selector = Selector.open();
        this.listener = ServerSocketChannel.open();
        try {
            listener.bind(config.listen(), 128);
            listener.configureBlocking(false);
            listener.register(selector, SelectionKey.OP_ACCEPT);
        } catch (IOException e) {
            listener.close();
            selector.close();
            throw e;
        }
        this.boundAddress = (InetSocketAddress) listener.getLocalAddress();
        this.workers = Executors.newCachedThreadPool(DaemonThreads.numbered(config.role() + "-worker-"));
        this.selectorThread =
                DaemonThreads.numbered(config.role() + "-selector-").newThread(this::loop);
    }

    /**
     * Binds and starts serving.
     *
     * @throws IOException the address cannot be bound (in use, not local)
     */
    public static NioServer start(TransportConfig config, ConnectionHandler.Factory handlers) throws IOException {
        return start(config, handlers, NioServer::exitProcess);
    }

    /**
     * Binds and starts serving; {@code onDeath} runs if the selector loop ever ends other than by
     * {@link #close} (the process would live on without its listener, so by default it exits: a
     * supervisor restarts it).
     */
    static NioServer start(TransportConfig config, ConnectionHandler.Factory handlers, Runnable onDeath)
            throws IOException {
        return start(config, handlers, onDeath, timeout -> {});
    }

    /**
     * As {@link #start(TransportConfig, ConnectionHandler.Factory, Runnable)}; {@code beforeSelect} is told,
     * on the selector thread, each time the loop is about to wait, how long it may wait (ms; 0 for no limit).
     */
    static NioServer start(
            TransportConfig config, ConnectionHandler.Factory handlers, Runnable onDeath, LongConsumer beforeSelect)
            throws IOException {
        NioServer server = new NioServer(config, handlers, onDeath, beforeSelect);
        server.selectorThread.start();
        return server;
    }

    /** The bound address, with the real port when port 0 was asked for. */
    public InetSocketAddress address() {
        return boundAddress;
    }

    @Override
    public void close() {
        if (!running) {
            return;
        }
        running = false;
        selector.wakeup();
        try {
            selectorThread.join(TimeUnit.SECONDS.toMillis(5));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        workers.shutdownNow();
        try {
            if (!workers.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.log(Level.WARNING, "{0}: worker threads still busy 5 s after close", config.role());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    void runOnSelector(Runnable task) {
        selectorTasks.add(task);
        selector.wakeup();
    }

    void execute(Runnable task) {
        workers.execute(task);
    }

    void forget(NioConnection connection) {
        connections.remove(connection.id());
    }

    private void loop() {
        try {
            while (running) {
                // Housekeeping is about connections' deadlines: with none open, nothing is due until one is
                // accepted (which wakes the selector), so an idle listener sleeps instead of waking 4 times a
                // second. Connections are added on this thread only, so none can appear unnoticed meanwhile.
                long timeout = connections.isEmpty() ? 0 : HOUSEKEEPING_NANOS / 1_000_000;
                beforeSelect.accept(timeout);
                selector.select(timeout);
                Runnable task;
                while ((task = selectorTasks.poll()) != null) {
                    runGuarded(task);
                }
                Iterator<SelectionKey> it = selector.selectedKeys().iterator();
                while (it.hasNext()) {
                    SelectionKey key = it.next();
                    it.remove();
                    handleKey(key);
                }
                long now = System.nanoTime();
                if (now - lastHousekeeping >= HOUSEKEEPING_NANOS) {
                    lastHousekeeping = now;
                    for (NioConnection c : connections.values()) {
                        runGuarded(c::housekeeping);
                    }
                }
            }
        } catch (IOException | RuntimeException | Error e) {
            // Only the selector itself failing, or an Error that must not be survived, gets here.
            LOG.log(Level.ERROR, config.role() + ": selector failed, listener stops", e);
        } finally {
            for (NioConnection c : connections.values()) {
                c.closeNow();
            }
            try {
                listener.close();
                selector.close();
            } catch (IOException e) {
                LOG.log(Level.DEBUG, "closing listener: {0}", e.toString());
            }
            if (running) {
                onDeath.run();
            }
        }
    }

    /** The default when the listener dies: the process exits (off this thread, so shutdown hooks may join it). */
    private static void exitProcess() {
        Thread exit = new Thread(() -> System.exit(70), "listener-died");
        exit.setDaemon(false);
        exit.start();
    }

    private void runGuarded(Runnable task) {
        try {
            task.run();
        } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
            // A bug in one task (or one peer's frame exhausting memory) costs that task, not the listener.
            LOG.log(Level.ERROR, config.role() + ": selector task failed", e);
        }
    }

    private void handleKey(SelectionKey key) {
        if (!key.isValid()) {
            return;
        }
        if (key.isAcceptable()) {
            accept();
            return;
        }
        NioConnection c = (NioConnection) key.attachment();
        try {
            if (key.isReadable()) {
                c.onReadable(readBuffer);
            }
            if (key.isValid() && key.isWritable()) {
                c.onWritable();
            }
        } catch (ProtocolException e) {
            if (c.greeted()) {
                LOG.log(
                        Level.INFO,
                        "[conn {0}] protocol error from {1}: {2}",
                        c.id(),
                        c.remoteAddress(),
                        e.getMessage());
                c.fail(new ErrorReply(ErrorCode.PROTOCOL, e.getMessage()));
            } else {
                LOG.log(Level.INFO, "[conn {0}] {1} does not speak this protocol", c.id(), c.remoteAddress());
                c.fail(Handshake.notThisProtocol(config.role()));
            }
        } catch (IOException | CancelledKeyException e) {
            // The peer reset or went away, or the key was cancelled meanwhile: its doing, not a bug of ours.
            LOG.log(Level.DEBUG, "[conn {0}] closed: {1}", c.id(), e.toString());
            c.closeNow();
        } catch (RuntimeException | StackOverflowError | OutOfMemoryError e) {
            // Our bug, or memory exhausted by this connection: it is closed (freeing what it holds), the
            // listener goes on. Other Errors end the loop, and the process.
            LOG.log(Level.ERROR, "[conn " + c.id() + "] unexpected failure, closing", e);
            c.closeNow();
        }
    }

    private void accept() {
        SocketChannel channel;
        try {
            channel = listener.accept();
        } catch (IOException e) {
            LOG.log(Level.WARNING, "{0}: accept failed: {1}", config.role(), e.toString());
            return;
        }
        if (channel == null) {
            return;
        }
        try {
            channel.configureBlocking(false);
            channel.socket().setTcpNoDelay(true);
            if (!admission.makeRoom(connections.values(), channel.getRemoteAddress())) {
                refuseBusy(channel);
                return;
            }
            long id = CONNECTION_IDS.incrementAndGet();
            NioConnection c = new NioConnection(id, this, channel, config, budget, policy);
            SelectionKey key = channel.register(selector, SelectionKey.OP_READ, c);
            c.attach(key, handlers);
            connections.put(id, c);
            LOG.log(Level.DEBUG, "[conn {0}] accepted from {1}", id, channel.getRemoteAddress());
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "accepting a connection failed: {0}", e.toString());
            closeQuietly(channel);
        }
    }

    private void refuseBusy(SocketChannel channel) {
        try {
            LOG.log(
                    Level.WARNING,
                    "{0}: refusing {1}: at the connection limit ({2} in all, {3} per peer), " + "none idle",
                    config.role(),
                    channel.getRemoteAddress(),
                    config.maxConnections(),
                    config.peers().maxPerPeer());
            if (config.tls() != null) {
                // A TLS client could not read a plaintext frame (it would take us for a peer that does not
                // speak TLS), and a handshake is the work the limit is there to spare: a bare close it is,
                // which the client reports as a listener at its connection limit.
                return;
            }
            // Best effort: a small frame fits in a fresh socket's send buffer, so one write sends it.
            channel.write(FrameEncoder.encode(
                    new ErrorReply(
                            ErrorCode.BUSY,
                            config.role() + " is at its connection limit and none is idle; try again later"),
                    config.limits()));
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "refusal not delivered: {0}", e.toString());
        } finally {
            closeQuietly(channel);
        }
    }

    private static void closeQuietly(SocketChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // nothing left to do with a channel we are dropping
        }
    }
}
