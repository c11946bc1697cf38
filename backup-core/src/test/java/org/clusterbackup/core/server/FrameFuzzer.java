package org.clusterbackup.core.server;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import org.clusterbackup.core.protocol.FrameEncoder;
import org.clusterbackup.core.protocol.Hello;
import org.clusterbackup.core.protocol.Message;
import org.clusterbackup.core.protocol.ProtocolException;
import org.clusterbackup.core.protocol.ProtocolLimits;

/**
 * Sends a listener mutated versions of valid frames, on connection after connection: bytes flipped,
 * lengths and types changed, frames cut, repeated or spliced. Seeded, so a failure replays exactly.
 * Each connection sends one batch, half-closes, and reads whatever comes back until the listener closes;
 * a listener that neither answers nor closes within the read timeout is a failure of the test.
 */
final class FrameFuzzer {
    private static final int FRAMES_PER_CONNECTION = 16;

    private final Random random;
    private final Hello hello;
    private final List<byte[]> corpus;
    private final SSLContext tls;
    private long bytesReceived;

    /** @param tls the TLS the listener wants (the mutated frames travel inside it), or null for plaintext */
    FrameFuzzer(long seed, Hello hello, List<Message> valid, SSLContext tls) throws ProtocolException {
        this.random = new Random(seed);
        this.hello = hello;
        this.tls = tls;
        this.corpus = valid.stream().map(FrameFuzzer::bytesOf).toList();
    }

    /** Seed for the run: {@code -Dfuzz.seed=N} replays one, else a fixed one. */
    static long seed() {
        return Long.getLong("fuzz.seed", 15L);
    }

    /** Frames per plane: a few thousand in the normal suite, more with {@code -Pfuzz}. */
    static int frames() {
        return Integer.getInteger("fuzz.frames", 3000);
    }

    long bytesReceived() {
        return bytesReceived;
    }

    /** Sends {@code frames} mutated frames to {@code address}. */
    void run(InetSocketAddress address, int frames) throws IOException {
        for (int sent = 0; sent < frames; sent += FRAMES_PER_CONNECTION) {
            ByteBuffer batch = ByteBuffer.allocate(4 * 1024 * 1024);
            byte[] greeting = bytesOf(hello);
            put(batch, random.nextInt(8) == 0 ? mutate(greeting) : greeting);
            for (int i = 0; i < FRAMES_PER_CONNECTION; i++) {
                put(batch, mutate(corpus.get(random.nextInt(corpus.size()))));
            }
            exchange(address, Arrays.copyOf(batch.array(), batch.position()));
        }
    }

    private static void put(ByteBuffer batch, byte[] bytes) {
        if (batch.remaining() >= bytes.length) {
            batch.put(bytes);
        }
    }

    private void exchange(InetSocketAddress address, byte[] bytes) throws IOException {
        try (Socket plain = new Socket()) {
            plain.connect(address, 2000);
            plain.setSoTimeout(30_000);
            Socket socket = plain;
            if (tls != null) {
                SSLSocket secure = (SSLSocket)
                        tls.getSocketFactory().createSocket(plain, address.getHostString(), address.getPort(), true);
                secure.setEnabledProtocols(new String[] {"TLSv1.3"});
                secure.startHandshake();
                socket = secure; // its shutdownOutput sends close_notify: the half-close, inside TLS
            }
            // Answers are read while the batch is still being written: a listener that refuses the stream
            // closes it with unread input, and the reset that follows would discard answers that had
            // arrived but were not yet read.
            InputStream in = socket.getInputStream();
            long[] received = new long[1];
            IOException[] failure = new IOException[1];
            Thread reader = new Thread(
                    () -> {
                        byte[] buf = new byte[64 * 1024];
                        try {
                            int n;
                            while ((n = in.read(buf)) >= 0) {
                                received[0] += n;
                            }
                        } catch (SocketException reset) {
                            // closed with unread input: a reset is how a close looks then
                        } catch (IOException e) {
                            failure[0] = e; // the read timeout: neither an answer nor a close
                        }
                    },
                    "fuzz-reader");
            reader.start();
            try {
                socket.getOutputStream().write(bytes);
                socket.shutdownOutput();
            } catch (SocketException closedWhileWeWrote) {
                // the listener refused the stream early; that is an answer too
            }
            try {
                reader.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while reading the listener's answers", e);
            }
            if (failure[0] != null) {
                throw failure[0];
            }
            bytesReceived += received[0];
        }
    }

    private byte[] mutate(byte[] frame) {
        byte[] b = frame.clone();
        switch (random.nextInt(8)) {
            case 0 -> { // flip a few bytes anywhere
                for (int i = 1 + random.nextInt(4); i > 0; i--) {
                    b[random.nextInt(b.length)] ^= (byte) (1 + random.nextInt(255));
                }
            }
            case 1 -> ByteBuffer.wrap(b).putInt(0, lengths()); // a lying length
            case 2 -> b[4] = (byte) random.nextInt(256); // another type, same payload
            case 3 -> b = Arrays.copyOf(b, random.nextInt(b.length)); // cut short
            case 4 -> { // random bytes spliced in
                byte[] junk = new byte[1 + random.nextInt(64)];
                random.nextBytes(junk);
                int at = random.nextInt(b.length);
                byte[] out = new byte[b.length + junk.length];
                System.arraycopy(b, 0, out, 0, at);
                System.arraycopy(junk, 0, out, at, junk.length);
                System.arraycopy(b, at, out, at + junk.length, b.length - at);
                b = out;
            }
            case 5 -> { // a JSON payload cut inside, with the length fixed to match
                if (b.length > 6) {
                    b = Arrays.copyOf(b, 6 + random.nextInt(b.length - 6));
                    ByteBuffer.wrap(b).putInt(0, b.length - 4);
                }
            }
            case 6 -> { // pure noise
                b = new byte[random.nextInt(256)];
                random.nextBytes(b);
            }
            default -> {} // unchanged: valid requests between the broken ones
        }
        return b;
    }

    private int lengths() {
        int[] interesting = {
            0, 1, 2, 5, 4096, 4097, 65_536, 65_537, 1 << 20, (1 << 20) + 2, 4 << 20, Integer.MAX_VALUE, -1
        };
        return random.nextBoolean() ? interesting[random.nextInt(interesting.length)] : random.nextInt();
    }

    private static byte[] bytesOf(Message m) {
        try {
            ByteBuffer frame = FrameEncoder.encode(m, ProtocolLimits.DEFAULT);
            return Arrays.copyOf(frame.array(), frame.limit());
        } catch (ProtocolException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
