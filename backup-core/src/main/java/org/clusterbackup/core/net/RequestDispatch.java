package org.clusterbackup.core.net;

import java.lang.System.Logger.Level;
import java.nio.channels.ClosedChannelException;
import java.util.function.BooleanSupplier;
import org.clusterbackup.core.model.ErrorCode;
import org.clusterbackup.core.protocol.ErrorReply;
import org.clusterbackup.core.protocol.Message;

/**
 * Hands one connection's requests to its handler on the server's worker threads, one at a time and in the
 * order they arrived, and turns what the handler throws into the connection's end: a peer gone or an
 * interrupt closes it, anything else is answered with an {@code INTERNAL} error (the stack trace goes to the
 * log, never to the peer). The selector thread queues; a worker drains. When the connection closes, the
 * handler hears of it on a worker too.
 */
final class RequestDispatch {
    private static final System.Logger LOG = System.getLogger(RequestDispatch.class.getName());

    private final InboundQueue inbox = new InboundQueue();
    private final NioServer server;
    private final Connection connection;
    private final String role;
    private final BooleanSupplier closed;
    private final Runnable belowLowWater;
    private final Runnable afterDrain;
    private volatile ConnectionHandler handler;

    /**
     * @param closed true once the connection is closed: what is still queued is dropped
     * @param belowLowWater worker thread: the backlog shrank under the low-water mark (reading may resume)
     * @param afterDrain worker thread: everything queued so far has been handled, for now
     */
    RequestDispatch(
            NioServer server,
            Connection connection,
            String role,
            BooleanSupplier closed,
            Runnable belowLowWater,
            Runnable afterDrain) {
        this.server = server;
        this.connection = connection;
        this.role = role;
        this.closed = closed;
        this.belowLowWater = belowLowWater;
        this.afterDrain = afterDrain;
    }

    /** Selector thread, once the peer's {@code Hello} was accepted: who handles what comes next. */
    void open(ConnectionHandler handler) {
        this.handler = handler;
    }

    InboundQueue inbox() {
        return inbox;
    }

    /** Selector thread: queues a request and starts a worker unless one is draining already. */
    void offer(Message message) {
        if (inbox.offer(message)) {
            server.execute(() -> {
                inbox.drain(this::handle, belowLowWater, closed);
                afterDrain.run();
            });
        }
    }

    /** Selector thread, once the connection closed: tells the handler (if it was opened), on a worker. */
    void closed() {
        ConnectionHandler h = handler;
        if (h == null) {
            return;
        }
        try {
            server.execute(() -> {
                try {
                    h.onClose();
                } catch (RuntimeException e) {
                    LOG.log(Level.WARNING, "[conn " + connection.id() + "] onClose failed", e);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            LOG.log(Level.DEBUG, "[conn {0}] closed during shutdown", connection.id());
        }
    }

    private void handle(Message m) {
        try {
            handler.onMessage(m);
        } catch (ClosedChannelException e) {
            connection.close(); // through the selector thread: cancelling the key here would race its use there
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            connection.close();
        } catch (Exception e) {
            LOG.log(
                    Level.ERROR,
                    "[conn " + connection.id() + "] handling " + m.getClass().getSimpleName() + " failed",
                    e);
            connection.fail(new ErrorReply(
                    ErrorCode.INTERNAL,
                    "internal error handling " + m.getClass().getSimpleName() + " (see the " + role + " log)"));
        }
    }
}
