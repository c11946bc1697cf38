package org.clusterbackup.core.index;

import java.nio.charset.StandardCharsets;

/** The constants of the {@code .idx} file format; docs/STORAGE.md "Index files" describes it byte by byte. */
final class IndexFormat {
    static final byte[] MAGIC = "CBINDEX\n".getBytes(StandardCharsets.US_ASCII);
    /**
     * Version 2 (written now) adds hard link entries and, after each entry, a flags byte: bit 0, the digest of
     * its extended attributes follows (32 bytes); bit 1, it is a sparse file and its stored data length follows
     * (8 bytes). Version 1 (the first) is still read. A reader refuses a version it does not know rather than
     * guess.
     */
    static final int VERSION = 2;

    static final int FIRST_VERSION = 1;
    static final int FLAG_XATTRS = 1;
    static final int FLAG_SPARSE = 2;
    static final int SEGMENT = 'S';
    static final int ENTRY = 'E';
    static final int END = 'Z';
    static final int TRAILER = 32;
    /** A name or link target longer than this is refused (PAX allows more; no file system does). */
    static final int MAX_NAME = 64 * 1024;

    private IndexFormat() {}
}
