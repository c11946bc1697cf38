package org.clusterbackup.core.protocol;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * Incremental decoder of {@code u32 length · u8 type · payload} frames. Bytes may arrive in any split,
 * one at a time included. Limits are checked on the header, before any payload buffer exists, and the
 * buffer then grows with the bytes that actually arrive, so a forged length costs the sender as many
 * bytes as it costs us memory. After a {@link ProtocolException} the decoder refuses further input:
 * the stream position is lost and the connection must be closed.
 *
 * <p>Not thread-safe; one decoder per connection.
 */
public final class FrameDecoder {
    /** Length field plus type byte. */
    public static final int HEADER_BYTES = 5;

    private static final int INITIAL_PAYLOAD_BUFFER = 8 * 1024;

    private ProtocolLimits limits;
    private final byte[] header = new byte[HEADER_BYTES];
    private int headerFilled;
    private MessageType type;
    private int payloadLength;
    private byte[] payload;
    private int payloadFilled;
    private boolean failed;

    public FrameDecoder(ProtocolLimits limits) {
        this.limits = limits;
    }

    /**
     * Consumes all of {@code in}, handing each completed message to {@code out} in order.
     *
     * @throws ProtocolException the bytes are not a valid frame stream
     */
    public void decode(ByteBuffer in, Consumer<? super Message> out) throws ProtocolException {
        if (failed) {
            throw new ProtocolException("decoder is closed after an earlier protocol error");
        }
        try {
            while (in.hasRemaining()) {
                if (type == null) {
                    int n = Math.min(HEADER_BYTES - headerFilled, in.remaining());
                    in.get(header, headerFilled, n);
                    headerFilled += n;
                    if (headerFilled < HEADER_BYTES) {
                        return;
                    }
                    startFrame();
                } else {
                    int n = Math.min(payloadLength - payloadFilled, in.remaining());
                    ensureCapacity(payloadFilled + n);
                    in.get(payload, payloadFilled, n);
                    payloadFilled += n;
                }
                if (payloadFilled == payloadLength) {
                    Message message = parse();
                    reset();
                    out.accept(message);
                }
            }
        } catch (ProtocolException e) {
            failed = true;
            throw e;
        }
    }

    /** Changes the limits for frames not yet started (e.g. raised once a peer has introduced itself). */
    public void limits(ProtocolLimits newLimits) {
        this.limits = newLimits;
    }

    /** Bytes of memory held for the frame partly received (0 between frames). */
    public int bufferedBytes() {
        return payload == null ? 0 : payload.length;
    }

    /** True when no frame is partly received: the stream ended on a frame boundary. */
    public boolean isIdle() {
        return type == null && headerFilled == 0;
    }

    private void startFrame() throws ProtocolException {
        long length = ((header[0] & 0xFFL) << 24)
                | ((header[1] & 0xFFL) << 16)
                | ((header[2] & 0xFFL) << 8)
                | (header[3] & 0xFFL);
        if (length == 0) {
            throw new ProtocolException("frame length 0: a frame holds at least its type byte");
        }
        int code = header[4] & 0xFF;
        MessageType t = MessageType.ofCode(code);
        if (t == null) {
            throw new ProtocolException("unknown frame type " + code);
        }
        long announced = length - 1;
        int limit = limits.limitFor(t);
        if (announced > limit) {
            throw new ProtocolException(
                    "frame of type " + t + " announces " + announced + " payload bytes, limit is " + limit);
        }
        type = t;
        payloadLength = (int) announced;
        payload = new byte[Math.min(payloadLength, INITIAL_PAYLOAD_BUFFER)];
        payloadFilled = 0;
    }

    private void ensureCapacity(int needed) {
        if (needed > payload.length) {
            int grown = (int) Math.min(payloadLength, Math.max(needed, 2L * payload.length));
            payload = Arrays.copyOf(payload, grown);
        }
    }

    private Message parse() throws ProtocolException {
        return switch (type.payload()) {
            case EMPTY -> KeepAlive.INSTANCE;
            case RAW -> new Data(payload.length == payloadLength ? payload : Arrays.copyOf(payload, payloadLength));
            case JSON -> parseJson();
        };
    }

    private Message parseJson() throws ProtocolException {
        try {
            Message m = Json.mapper().readValue(payload, 0, payloadLength, type.messageClass());
            if (m == null) {
                throw new ProtocolException("empty " + type + " payload");
            }
            return m;
        } catch (java.io.IOException | RuntimeException e) {
            // Fixed words: the parser's own message quotes the payload, and the peer's bytes are never
            // echoed (into an error frame, a log line, a user's terminal). The cause keeps the detail.
            throw new ProtocolException("malformed " + type + " payload: not the JSON of a " + type + " message", e);
        }
    }

    private void reset() {
        type = null;
        headerFilled = 0;
        payload = null;
        payloadLength = 0;
        payloadFilled = 0;
    }
}
