package org.clusterbackup.core.net;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SocketChannel;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;

/**
 * A non-blocking socket seen through an {@link SSLEngine}: {@link #read} returns plaintext, {@link #write}
 * takes plaintext, and the handshake runs inside both, so the connection above it reads and writes frames
 * as on a plain socket. Used by the selector thread only.
 *
 * <p>Two things the selector must know: {@link #flush} is false while ciphertext (handshake or records)
 * waits for socket space, so write interest must stay on; and {@link #read} never leaves a complete record
 * undecrypted, because no selector event would come for bytes already read off the socket.
 */
final class TlsChannel implements ByteChannel {
    private static final System.Logger LOG = System.getLogger(TlsChannel.class.getName());
    private static final ByteBuffer EMPTY = ByteBuffer.allocate(0);

    private final SocketChannel socket;
    private final SSLEngine engine;
    /** Ciphertext read from the socket, not yet decrypted; write mode (position = end of data). */
    private final ByteBuffer netIn;
    /** Ciphertext made, not yet written to the socket; write mode. */
    private final ByteBuffer netOut;
    /** Set once the peer sent a TLS record we could read: a plaintext peer gets no alert, only a close. */
    private boolean peerSpeaksTls;
    /** The handshake failed and our alert is out: whatever the peer still sends is read and dropped. */
    private boolean refused;

    private boolean open = true;

    TlsChannel(SocketChannel socket, SSLEngine engine) {
        this.socket = socket;
        this.engine = engine;
        int packet = engine.getSession().getPacketBufferSize();
        this.netIn = ByteBuffer.allocate(packet);
        this.netOut = ByteBuffer.allocate(packet);
    }

    /** The certificate the peer presented (kept by a resumed session), or null if it presented none. */
    java.security.cert.Certificate peerCertificate() {
        try {
            java.security.cert.Certificate[] chain = engine.getSession().getPeerCertificates();
            return chain.length == 0 ? null : chain[0];
        } catch (javax.net.ssl.SSLPeerUnverifiedException e) {
            return null;
        }
    }

    /** The smallest destination {@link #read} accepts: one record's worth, decrypted. */
    int minimumReadBuffer() {
        return netIn.capacity();
    }

    /**
     * Reads what the socket has, up to one record's worth, and decrypts every complete record into {@code dst}
     * (TLS 1.3 plaintext is never longer than its record, so all of it fits).
     *
     * @return plaintext bytes added, 0 if none yet, -1 when the peer closed
     */
    @Override
    public int read(ByteBuffer dst) throws IOException {
        if (dst.remaining() < netIn.capacity()) {
            throw new IllegalArgumentException(
                    "a TLS read needs room for " + netIn.capacity() + " bytes, has " + dst.remaining());
        }
        if (refused) {
            netIn.clear();
            int n = socket.read(netIn);
            netIn.clear();
            return n < 0 ? -1 : 0;
        }
        // netIn holds at most one record's worth of ciphertext, and dst has room for that much plaintext.
        int n = socket.read(netIn);
        int produced;
        try {
            produced = unwrapAll(dst);
        } catch (SSLException e) {
            if (!refuse(e)) {
                throw e;
            }
            return 0;
        }
        if (produced > 0) {
            return produced;
        }
        return n < 0 || engine.isInboundDone() ? -1 : 0;
    }

    private int unwrapAll(ByteBuffer dst) throws IOException {
        int produced = 0;
        while (true) {
            HandshakeStatus hs = engine.getHandshakeStatus();
            if (hs == HandshakeStatus.NEED_TASK) {
                runTasks();
                continue;
            }
            if (hs == HandshakeStatus.NEED_WRAP) {
                if (!wrapHandshake()) {
                    return produced; // the socket is full; the selector calls flush() when it drains
                }
                continue;
            }
            if (netIn.position() == 0) {
                return produced;
            }
            netIn.flip();
            SSLEngineResult r;
            try {
                r = engine.unwrap(netIn, dst);
            } finally {
                netIn.compact();
            }
            produced += r.bytesProduced();
            if (r.bytesConsumed() > 0) {
                peerSpeaksTls = true;
            }
            switch (r.getStatus()) {
                case OK:
                    break;
                case CLOSED:
                    flush(); // our close_notify answer, if the engine made one
                    return produced;
                default: // BUFFER_UNDERFLOW: wait for the rest of the record. BUFFER_OVERFLOW cannot happen (see read)
                    return produced;
            }
        }
    }

    /** Wraps handshake messages into {@link #netOut}; false when the socket cannot take them yet. */
    private boolean wrapHandshake() throws IOException {
        flushNet();
        SSLEngineResult r = engine.wrap(EMPTY, netOut);
        if (r.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
            return false;
        }
        flushNet();
        return r.getStatus() != SSLEngineResult.Status.CLOSED || r.bytesProduced() > 0;
    }

    private void runTasks() {
        Runnable task;
        while ((task = engine.getDelegatedTask()) != null) {
            task.run(); // signature checks of one small EC certificate: too short to hand to another thread
        }
    }

    /**
     * Writes pending ciphertext and any handshake messages the engine has ready.
     *
     * @return true when nothing is left to write
     */
    boolean flush() throws IOException {
        while (true) {
            flushNet();
            if (netOut.position() > 0) {
                return false;
            }
            HandshakeStatus hs = engine.getHandshakeStatus();
            if (hs == HandshakeStatus.NEED_TASK) {
                runTasks();
            } else if (hs == HandshakeStatus.NEED_WRAP && !engine.isOutboundDone()) {
                if (!wrapHandshake()) {
                    return false;
                }
            } else {
                return true;
            }
        }
    }

    private void flushNet() throws IOException {
        if (netOut.position() == 0) {
            return;
        }
        netOut.flip();
        try {
            socket.write(netOut);
        } finally {
            netOut.compact();
        }
    }

    /**
     * Encrypts as much of {@code src} as the socket takes now.
     *
     * @return plaintext bytes consumed; 0 while the handshake is still running or the socket is full
     */
    @Override
    public int write(ByteBuffer src) throws IOException {
        if (!open || engine.isOutboundDone()) {
            throw new ClosedChannelException();
        }
        if (!flush() || handshaking()) {
            return 0;
        }
        int consumed = 0;
        while (src.hasRemaining()) {
            SSLEngineResult r = engine.wrap(src, netOut);
            consumed += r.bytesConsumed();
            if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
                throw new ClosedChannelException();
            }
            flushNet();
            if (netOut.position() > 0) {
                break; // socket full: the rest waits for write readiness
            }
        }
        return consumed;
    }

    private boolean handshaking() {
        HandshakeStatus hs = engine.getHandshakeStatus();
        return hs != HandshakeStatus.NOT_HANDSHAKING && hs != HandshakeStatus.FINISHED;
    }

    /**
     * A failed handshake. A plaintext peer hears nothing: false, and the caller closes. A TLS peer gets the
     * alert that says why, then our end of the stream; we keep reading (and dropping) until it closes or the
     * connection's Hello deadline passes. Closing at once would let the peer's next bytes (its Hello, sent
     * before it could know) provoke a reset that destroys the alert unread.
     */
    private boolean refuse(SSLException cause) {
        LOG.log(Level.INFO, "TLS with {0} refused: {1}", remote(), cause.getMessage());
        if (!peerSpeaksTls) {
            return false;
        }
        refused = true;
        try {
            sendLastRecordsAndShutdown();
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "alert to {0} not delivered: {1}", remote(), e.toString());
        }
        return true;
    }

    /**
     * After our last frame (an {@code Error} before a close): close_notify and our end of the stream, then
     * whatever the peer already sent is read and dropped. A TLS peer has more in flight than a plaintext one
     * (its own close_notify at least), and closing with it unread would reset the connection, which can
     * destroy our last frame before the peer reads it.
     */
    void closeOutputAndDrain() throws IOException {
        engine.closeOutbound();
        refused = true;
        sendLastRecordsAndShutdown();
        ByteBuffer sink = ByteBuffer.allocate(netIn.capacity());
        while (socket.read(sink) > 0) {
            sink.clear();
        }
    }

    private void sendLastRecordsAndShutdown() throws IOException {
        for (int i = 0; i < 4 && !engine.isOutboundDone(); i++) {
            SSLEngineResult r = engine.wrap(EMPTY, netOut);
            flushNet();
            if (r.bytesProduced() == 0) {
                break;
            }
        }
        flushNet();
        socket.shutdownOutput();
    }

    private Object remote() {
        try {
            return socket.getRemoteAddress();
        } catch (IOException e) {
            return "?";
        }
    }

    @Override
    public boolean isOpen() {
        return open && socket.isOpen();
    }

    /** Sends close_notify if the socket takes it at once, then closes the socket. */
    @Override
    public void close() throws IOException {
        if (!open) {
            return;
        }
        open = false;
        try {
            if (peerSpeaksTls && !refused && !engine.isOutboundDone()) {
                engine.closeOutbound();
                flush();
            }
        } catch (IOException e) {
            LOG.log(Level.DEBUG, "close_notify to {0} not delivered: {1}", remote(), e.toString());
        } finally {
            socket.close();
        }
    }
}
