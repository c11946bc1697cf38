package org.clusterbackup.core.net;

import java.io.IOException;
import java.net.SocketAddress;
import org.clusterbackup.core.protocol.ErrorReply;
import org.clusterbackup.core.protocol.Message;

/** One accepted connection, as a handler sees it. Thread-safe. */
public interface Connection {
    /** A small number unique within the process; log lines about this connection carry it. */
    long id();

    SocketAddress remoteAddress();

    /** The role the peer announced in its {@code Hello}. */
    String peerRole();

    /**
     * The certificate the peer presented over TLS (kept in the session, so a resumed one has it too), or null
     * without TLS or without a client certificate.
     */
    default java.security.cert.Certificate peerCertificate() {
        return null;
    }

    /** The bearer token the peer sent in its {@code Hello}, or null. */
    default String peerToken() {
        return null;
    }

    /**
     * Says that the peer proved who it is (a request's token passed, or its pinned TLS identity): from now on
     * the transport no longer picks this connection first when it must make room for a newcomer.
     */
    default void authenticated() {}

    /**
     * Queues a message for sending. Blocks while more than the high-water mark of earlier frames is still
     * unsent, so a producer (an archive stream) can never run ahead of the network by more than that.
     * A peer that takes nothing for the listener's send timeout is disconnected, and a blocked call fails.
     *
     * @throws java.nio.channels.ClosedChannelException the connection is closed
     */
    void send(Message message) throws IOException;

    /** Sends the error, then closes once it is written. */
    void fail(ErrorReply error);

    /** Closes now, dropping unsent frames. */
    void close();

    boolean isOpen();
}
