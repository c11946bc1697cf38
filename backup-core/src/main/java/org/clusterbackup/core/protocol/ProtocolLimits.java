package org.clusterbackup.core.protocol;

/**
 * Hard size limits on frames. A frame header announcing more is rejected before any buffer is sized for it.
 *
 * @param maxJsonPayload largest JSON payload accepted (lists travel in pages, so this bounds one page)
 * @param maxDataPayload largest raw {@link Data} payload accepted
 */
public record ProtocolLimits(int maxJsonPayload, int maxDataPayload) {
    /** Current protocol version; peers must speak exactly this one. */
    public static final int PROTOCOL_VERSION = 1;
    /** Size of the chunks senders put in {@link Data} frames. */
    public static final int DATA_CHUNK = 64 * 1024;

    public static final ProtocolLimits DEFAULT = new ProtocolLimits(4 * 1024 * 1024, 1024 * 1024);

    public ProtocolLimits {
        if (maxJsonPayload < 1024) {
            throw new IllegalArgumentException("maxJsonPayload must be at least 1024 bytes, was " + maxJsonPayload);
        }
        if (maxDataPayload < DATA_CHUNK) {
            throw new IllegalArgumentException(
                    "maxDataPayload must be at least " + DATA_CHUNK + " bytes, was " + maxDataPayload);
        }
    }

    int limitFor(MessageType type) {
        return switch (type.payload()) {
            case JSON -> maxJsonPayload;
            case RAW -> maxDataPayload;
            case EMPTY -> 0;
        };
    }
}
