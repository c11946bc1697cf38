package org.clusterbackup.core.restore;

import java.io.IOException;

/**
 * The restore stream is not a whole {@code .tar.gz}: it ended early (inside an entry, or before the gzip
 * trailer), its bytes are corrupt, or reading it failed. Distinct from an {@link IOException} of the local
 * file system, which {@link SafeExtractor} throws as it is. Nothing is left behind either way.
 */
public final class BrokenArchiveException extends IOException {
    private final long streamBytes;

    /**
     * @param where the position, e.g. "in entry 'a/b'"
     * @param streamBytes compressed bytes read from the stream when it failed
     */
    BrokenArchiveException(String where, long streamBytes, String reason, Throwable cause) {
        super("archive stream broken " + where + " after " + streamBytes + " bytes of it: " + reason, cause);
        this.streamBytes = streamBytes;
    }

    /** How many bytes of the (compressed) stream had been read when it failed. */
    public long streamBytes() {
        return streamBytes;
    }
}
