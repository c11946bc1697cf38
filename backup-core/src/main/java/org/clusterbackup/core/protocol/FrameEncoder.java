package org.clusterbackup.core.protocol;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.nio.ByteBuffer;

/** Turns messages into frames. Stateless and thread-safe. */
public final class FrameEncoder {
    private FrameEncoder() {}

    /**
     * Encodes one message as a complete frame, ready to write.
     *
     * @throws ProtocolException the message is larger than the limits allow; the sender must page it
     */
    public static ByteBuffer encode(Message message, ProtocolLimits limits) throws ProtocolException {
        MessageType type = MessageType.of(message);
        byte[] body = switch (type.payload()) {
            case EMPTY -> new byte[0];
            case RAW -> ((Data) message).bytes();
            case JSON -> json(message);
        };
        int limit = limits.limitFor(type);
        if (body.length > limit) {
            throw new ProtocolException(
                    type + " frame of " + body.length + " payload bytes exceeds the limit of " + limit);
        }
        ByteBuffer frame = ByteBuffer.allocate(FrameDecoder.HEADER_BYTES + body.length);
        frame.putInt(body.length + 1).put((byte) type.code()).put(body).flip();
        return frame;
    }

    private static byte[] json(Message message) throws ProtocolException {
        try {
            return Json.mapper().writeValueAsBytes(message);
        } catch (JsonProcessingException e) {
            throw new ProtocolException(
                    "cannot encode " + message.getClass().getSimpleName() + ": " + e.getOriginalMessage(), e);
        }
    }
}
