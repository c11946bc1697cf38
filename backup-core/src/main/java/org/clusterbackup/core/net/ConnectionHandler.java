package org.clusterbackup.core.net;

import org.clusterbackup.core.protocol.Message;

/**
 * The application side of one accepted connection. The transport completes the {@code Hello} exchange
 * before the first call and swallows keep-alives; everything else arrives here, one message at a time,
 * in order, on a worker thread (never the selector thread), so a handler may block: on the catalog, on a
 * backup run, or on {@link Connection#send} when the peer reads slowly.
 */
public interface ConnectionHandler {
    /**
     * Handles one message. An exception that escapes is logged with the connection id and answered with
     * an {@code INTERNAL} error, and the connection is closed.
     */
    void onMessage(Message message) throws Exception;

    /** The connection is closed, by either side; called once, on a worker thread. */
    default void onClose() {}

    /** Creates the handler of a newly accepted connection. */
    @FunctionalInterface
    interface Factory {
        ConnectionHandler open(Connection connection);
    }
}
