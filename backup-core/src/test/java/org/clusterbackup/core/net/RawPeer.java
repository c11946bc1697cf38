package org.clusterbackup.core.net;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import org.clusterbackup.core.protocol.FrameDecoder;
import org.clusterbackup.core.protocol.FrameEncoder;
import org.clusterbackup.core.protocol.Message;
import org.clusterbackup.core.protocol.ProtocolLimits;

/** A test peer on a plain socket that sees every frame, keep-alives included, and can send raw bytes. */
final class RawPeer implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final FrameDecoder decoder = new FrameDecoder(ProtocolLimits.DEFAULT);
    private final ArrayDeque<Message> received = new ArrayDeque<>();

    RawPeer(InetSocketAddress address, int readTimeoutMillis) throws IOException {
        socket = new Socket();
        socket.connect(address, 2000);
        socket.setSoTimeout(readTimeoutMillis);
        in = socket.getInputStream();
    }

    void send(Message m) throws IOException {
        ByteBuffer frame = FrameEncoder.encode(m, ProtocolLimits.DEFAULT);
        socket.getOutputStream().write(frame.array(), 0, frame.limit());
    }

    void sendRaw(byte[] bytes) throws IOException {
        socket.getOutputStream().write(bytes);
    }

    Message next() throws IOException {
        byte[] buf = new byte[8192];
        while (received.isEmpty()) {
            int n = in.read(buf);
            if (n < 0) {
                throw new EOFException("closed by the server");
            }
            decoder.decode(ByteBuffer.wrap(buf, 0, n), received::add);
        }
        return received.poll();
    }

    /** Half-closes: the server reads the end of this peer's stream, and this peer can still read. */
    void shutdownOutput() throws IOException {
        socket.shutdownOutput();
    }

    /** True when nothing arrives for {@code millis}: neither a frame nor the end of the stream. */
    boolean silentFor(int millis) throws IOException {
        int before = socket.getSoTimeout();
        socket.setSoTimeout(millis);
        try {
            received.add(next());
            return false;
        } catch (java.net.SocketTimeoutException e) {
            return true;
        } catch (EOFException e) {
            return false;
        } finally {
            socket.setSoTimeout(before);
        }
    }

    /** True when the server closed the connection (reads end) before sending anything more. */
    boolean closedByServer() throws IOException {
        try {
            next();
            return false;
        } catch (EOFException e) {
            return true;
        } catch (java.net.SocketException e) {
            return true; // reset: also closed
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
