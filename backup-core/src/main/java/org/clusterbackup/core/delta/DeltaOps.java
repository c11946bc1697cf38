package org.clusterbackup.core.delta;

import java.io.IOException;

/** The new content of a file as {@link BlockMatcher} describes it: ranges of the base version and literal bytes, in order. */
public interface DeltaOps {
    /** The next {@code length} bytes are the base version's bytes from {@code baseOffset} on. */
    void copy(long baseOffset, long length) throws IOException;

    /** The next bytes are these ({@code bytes} is reused after the call returns). */
    void literal(byte[] bytes, int offset, int length) throws IOException;
}
