package org.clusterbackup.core.net;

import java.io.BufferedOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.clusterbackup.core.protocol.ErrorReply;
import org.clusterbackup.core.protocol.FrameDecoder;
import org.clusterbackup.core.protocol.FrameEncoder;
import org.clusterbackup.core.protocol.Hello;
import org.clusterbackup.core.protocol.KeepAlive;
import org.clusterbackup.core.protocol.Message;
import org.clusterbackup.core.protocol.ProtocolException;
import org.clusterbackup.core.protocol.ProtocolLimits;

/**
 * The dialling side of a connection, blocking: one request, then its replies, on the caller's thread.
 * Used by the CLI and console towards the server, and by the server towards agents (where each run owns a
 * thread anyway). The read timeout measures silence: keep-alives reset it and are never returned.
 *
 * <p>Not thread-safe; one user at a time.
 */
public final class BlockingConnection implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final FrameDecoder decoder;
    private final ProtocolLimits limits;
    private final ArrayDeque<Message> received = new ArrayDeque<>();
    private final byte[] readBuffer = new byte[64 * 1024];
    private final String peer;
    private final Duration readTimeout;
    private long bytesRead;
    private String peerRole;

    private BlockingConnection(Socket socket, ProtocolLimits limits, String peer, Duration readTimeout)
            throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = new BufferedOutputStream(socket.getOutputStream(), 64 * 1024);
        this.limits = limits;
        this.decoder = new FrameDecoder(limits);
        this.peer = peer;
        this.readTimeout = readTimeout;
    }

    /**
     * Connects and exchanges {@code Hello}s.
     *
     * @param role the role announced to the peer
     * @throws java.net.ConnectException nobody listens there
     * @throws SocketTimeoutException no connection or no {@code Hello} within the timeouts
     * @throws RemoteErrorException the peer refused us (busy, wrong role, wrong version)
     * @throws ProtocolException the peer does not speak this protocol
     */
    public static BlockingConnection open(
            InetSocketAddress address,
            String role,
            Duration connectTimeout,
            Duration readTimeout,
            ProtocolLimits limits)
            throws IOException {
        return open(address, role, connectTimeout, readTimeout, limits, null, null);
    }

    /**
     * Connects over TLS 1.3, then exchanges {@code Hello}s. The peer judges our certificate after our side
     * of the handshake is done (TLS 1.3), so its verdict arrives in place of its {@code Hello}: nothing is
     * sent before that {@code Hello} is here.
     *
     * @param tls our identity and the check of the peer's; null for plaintext
     * @param token an operator's token for the server, sent in our {@code Hello}; null for none
     * @throws javax.net.ssl.SSLHandshakeException the peer's identity is refused here (the cause is a
     *         {@link org.clusterbackup.core.security.PeerIdentityException}), or ours there
     */
    public static BlockingConnection open(
            InetSocketAddress address,
            String role,
            Duration connectTimeout,
            Duration readTimeout,
            ProtocolLimits limits,
            SSLContext tls,
            String token)
            throws IOException {
        return open(address, role, connectTimeout, readTimeout, limits, tls, SessionCheck.NONE, token);
    }

    /**
     * As {@link #open(InetSocketAddress, String, Duration, Duration, ProtocolLimits, SSLContext, String)}, with
     * {@code afterHandshake} run on the session (full or resumed) before our {@code Hello} is sent. The socket
     * names the peer by {@code address}'s host string and port, so a context reused for many connections
     * resumes the session it last had with the same peer.
     */
    public static BlockingConnection open(
            InetSocketAddress address,
            String role,
            Duration connectTimeout,
            Duration readTimeout,
            ProtocolLimits limits,
            SSLContext tls,
            SessionCheck afterHandshake,
            String token)
            throws IOException {
        Socket plain = new Socket();
        Socket socket = plain;
        String peer = address.getHostString() + ":" + address.getPort();
        try {
            plain.setTcpNoDelay(true);
            plain.connect(address, (int) Math.max(1, connectTimeout.toMillis()));
            plain.setSoTimeout((int) Math.max(1, readTimeout.toMillis()));
            if (tls != null) {
                SSLSocket secure = (SSLSocket)
                        tls.getSocketFactory().createSocket(plain, address.getHostString(), address.getPort(), true);
                socket = secure;
                SSLParameters params = secure.getSSLParameters();
                params.setProtocols(TlsSettings.PROTOCOLS);
                secure.setSSLParameters(params);
                handshake(secure, peer); // bounded by the read timeout set above
                afterHandshake.check(secure.getSession());
            }
            BlockingConnection c = new BlockingConnection(socket, limits, peer, readTimeout);
            c.sendHello(new Hello(ProtocolLimits.PROTOCOL_VERSION, role, token));
            Message first = c.receive();
            if (first instanceof ErrorReply error) {
                throw new RemoteErrorException(error);
            }
            if (!(first instanceof Hello hello)) {
                throw new ProtocolException(
                        peer + " answered Hello with " + first.getClass().getSimpleName());
            }
            if (hello.protocolVersion() != ProtocolLimits.PROTOCOL_VERSION) {
                throw new ProtocolException(peer + " speaks protocol version " + hello.protocolVersion()
                        + ", this program speaks " + ProtocolLimits.PROTOCOL_VERSION);
            }
            c.peerRole = hello.role();
            return c;
        } catch (IOException | RuntimeException e) {
            socket.close();
            plain.close();
            throw e;
        }
    }

    /**
     * Runs the TLS handshake. A listener at its connection limit closes at once, without a word (it cannot
     * answer in plaintext, and a handshake is what the limit spares it): the JDK reports that as a handshake
     * the remote host terminated, which says here what it most likely means.
     */
    private static void handshake(SSLSocket secure, String peer) throws IOException {
        try {
            secure.startHandshake();
        } catch (javax.net.ssl.SSLHandshakeException | java.net.SocketException e) {
            if (closedByPeer(e)) {
                EOFException closed = new EOFException(peer + " closed the connection before the TLS handshake was "
                        + "done: it is at its connection limit (or shutting down); try again later");
                closed.initCause(e);
                throw closed;
            }
            throw e;
        }
    }

    /**
     * Whether the handshake failed because the peer closed the connection without an alert: an end of stream,
     * a reset (a close with our ClientHello still unread there) or a broken pipe (a close before we wrote it).
     */
    private static boolean closedByPeer(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof EOFException
                    || (t instanceof java.net.SocketException s
                            && (String.valueOf(s.getMessage()).contains("reset")
                                    || String.valueOf(s.getMessage()).contains("Broken pipe")))) {
                return true;
            }
        }
        return false;
    }

    /**
     * Sends our {@code Hello}. A TLS peer that refused our certificate may have closed before it arrives:
     * its alert, waiting to be read, says more than the broken pipe.
     */
    private void sendHello(Hello hello) throws IOException {
        try {
            send(hello);
        } catch (IOException e) {
            if (socket instanceof SSLSocket) {
                try {
                    receive();
                } catch (javax.net.ssl.SSLException alert) {
                    alert.addSuppressed(e);
                    throw alert;
                } catch (IOException ignored) {
                    // no alert either: the broken pipe is all there is to say
                }
            }
            throw e;
        }
    }

    /** The role the peer announced: {@code server}, {@code agent}. */
    public String peerRole() {
        return peerRole;
    }

    /** {@code host:port} of the peer, for messages. */
    public String peer() {
        return peer;
    }

    /** Every byte received from the peer so far, frame headers included. */
    public long bytesRead() {
        return bytesRead;
    }

    /**
     * Sends a message. A peer that takes none of it for the read timeout (it stopped reading: a restore's
     * archive stream to a stalled agent) is cut off, as a listener cuts a peer at its send timeout.
     *
     * @throws SocketTimeoutException the peer read nothing for the read timeout; the connection is closed
     */
    public void send(Message message) throws IOException {
        ByteBuffer frame = FrameEncoder.encode(message, limits);
        try (WriteWatchdog.Guard guard = WriteWatchdog.watch(socket, readTimeout)) {
            try {
                out.write(frame.array(), frame.arrayOffset() + frame.position(), frame.remaining());
                out.flush();
            } catch (IOException e) {
                if (guard.expired()) {
                    throw new SocketTimeoutException(peer + " read nothing for " + readTimeout.toSeconds() + " s");
                }
                throw e;
            }
        }
    }

    /**
     * The next message other than a keep-alive.
     *
     * @throws SocketTimeoutException the peer said nothing at all for the read timeout
     * @throws EOFException the peer closed the connection
     */
    public Message receive() throws IOException {
        Message m;
        do {
            m = receiveAny();
        } while (m instanceof KeepAlive);
        return m;
    }

    /**
     * The next message, keep-alives included: for a caller that keeps deadlines of its own and must look
     * at the clock even while the peer sends nothing but keep-alives.
     *
     * @throws SocketTimeoutException the peer said nothing at all for the read timeout
     * @throws EOFException the peer closed the connection
     */
    public Message receiveAny() throws IOException {
        while (received.isEmpty()) {
            int n;
            try {
                n = in.read(readBuffer);
            } catch (SocketTimeoutException e) {
                throw new SocketTimeoutException(peer + " sent nothing for " + readTimeout.toSeconds() + " s");
            }
            if (n < 0) {
                throw new EOFException(
                        decoder.isIdle()
                                ? peer + " closed the connection"
                                : peer + " closed the connection in the middle of a frame");
            }
            bytesRead += n;
            decoder.decode(ByteBuffer.wrap(readBuffer, 0, n), received::add);
        }
        return received.poll();
    }

    /**
     * The next message, which must be of the given type.
     *
     * @throws RemoteErrorException the peer answered with an {@code Error}
     * @throws ProtocolException the peer answered with some other message
     */
    public <T extends Message> T expect(Class<T> type) throws IOException {
        Message m = receive();
        if (type.isInstance(m)) {
            return type.cast(m);
        }
        if (m instanceof ErrorReply error) {
            throw new RemoteErrorException(error);
        }
        throw new ProtocolException(peer + " answered with " + m.getClass().getSimpleName() + " where "
                + type.getSimpleName() + " was expected");
    }

    /** True once this side closed the connection (a peer's close shows only when it is read). */
    public boolean isClosed() {
        return socket.isClosed();
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing is best effort; the socket is gone either way
        }
    }
}
