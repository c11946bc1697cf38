package org.clusterbackup.core.index;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Reads a tar stream pushed in pieces of any size (as segments inflate) and reports each entry with its
 * offsets and the SHA-256 of its content. Memory is fixed: one header block, one PAX header (bounded), one
 * digest; content is hashed as it passes, never held. After the end-of-archive blocks only zeros may follow
 * (the padding to a whole record).
 */
final class TarIndexer {
    /** A PAX header larger than this is refused: ours hold a path and a few numbers. */
    static final int MAX_PAX = 1024 * 1024;

    private static final int BLOCK = TarHeader.BLOCK;

    @FunctionalInterface
    interface Listener {
        void entry(IndexEntry entry) throws ArchiveFormatException;
    }

    private enum State {
        HEADER,
        PAX,
        DATA,
        PADDING,
        END
    }

    private final Listener listener;
    private final MessageDigest sha256;
    private final byte[] block = new byte[BLOCK];
    private int blockFill;
    private State state = State.HEADER;
    private long offset;
    private long remaining;
    private byte[] paxData;
    private int paxFill;
    private PaxRecords pax;
    private long entryStart = -1;
    private boolean oneZeroBlock;
    private PendingEntry pending;
    /** The data of the current entry when it is a sparse file; null otherwise. */
    private SparseData sparse;

    TarIndexer(Listener listener) {
        this.listener = listener;
        try {
            this.sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** Bytes of the tar stream consumed so far. */
    long offset() {
        return offset;
    }

    void accept(byte[] b, int off, int len) throws ArchiveFormatException {
        int end = off + len;
        while (off < end) {
            int n;
            switch (state) {
                case HEADER, END -> {
                    n = Math.min(end - off, BLOCK - blockFill);
                    System.arraycopy(b, off, block, blockFill, n);
                    blockFill += n;
                    if (blockFill == BLOCK) {
                        blockFill = 0;
                        block(offset + n - BLOCK);
                    }
                }
                case PAX -> {
                    n = (int) Math.min(end - off, remaining);
                    System.arraycopy(b, off, paxData, paxFill, n);
                    paxFill += n;
                    remaining -= n;
                    if (remaining == 0) {
                        pax = PaxRecords.parse(paxData, paxFill, entryStart);
                        paxData = null;
                        skipPadding(paxFill);
                    }
                }
                case DATA -> {
                    n = (int) Math.min(end - off, remaining);
                    if (sparse != null) {
                        sparse.accept(b, off, n);
                    } else {
                        sha256.update(b, off, n);
                    }
                    remaining -= n;
                    if (remaining == 0) {
                        if (sparse != null) {
                            sparse.finish();
                            sparse = null;
                        }
                        complete(HexFormat.of().formatHex(sha256.digest()));
                    }
                }
                case PADDING -> {
                    n = (int) Math.min(end - off, remaining);
                    remaining -= n;
                    if (remaining == 0) {
                        state = State.HEADER;
                    }
                }
                default -> throw new IllegalStateException(state.name());
            }
            off += n;
            offset += n;
        }
    }

    /** The stream ended: it must have ended as a tar archive ends. */
    void finish() throws ArchiveFormatException {
        if (state != State.END || blockFill != 0 && !zeros(block, blockFill)) {
            throw new ArchiveFormatException(
                    "the tar stream ends at tar offset " + offset + " without its end-of-archive blocks");
        }
    }

    private void block(long at) throws ArchiveFormatException {
        if (state == State.END) {
            if (!TarHeader.isZero(block)) {
                throw new ArchiveFormatException("data after the end of the tar archive, at tar offset " + at);
            }
            return;
        }
        if (TarHeader.isZero(block)) {
            if (pax != null || entryStart >= 0) {
                throw new ArchiveFormatException(
                        "the archive ends after a PAX header with no entry, at tar offset " + at);
            }
            if (oneZeroBlock) {
                state = State.END;
            }
            oneZeroBlock = true;
            return;
        }
        if (oneZeroBlock) {
            throw new ArchiveFormatException("a lone zero block before the tar header at tar offset " + at);
        }
        if (entryStart < 0) {
            entryStart = at;
        }
        TarHeader h = TarHeader.parse(block, at);
        if (h.type() == 'x') {
            if (pax != null) {
                throw new ArchiveFormatException("two PAX headers in a row at tar offset " + at);
            }
            if (h.size() > MAX_PAX) {
                throw new ArchiveFormatException(
                        "the PAX header at tar offset " + at + " is " + h.size() + " bytes, more than " + MAX_PAX);
            }
            remaining = h.size();
            paxData = new byte[(int) remaining];
            paxFill = 0;
            if (remaining == 0) {
                pax = PaxRecords.parse(paxData, 0, at);
                paxData = null;
            } else {
                state = State.PAX;
            }
            return;
        }
        begin(h, at);
    }

    private void begin(TarHeader h, long at) throws ArchiveFormatException {
        PaxRecords p = pax;
        pax = null;
        EntryKind kind = switch (h.type()) {
            case '0', '\0' -> EntryKind.FILE;
            case '5' -> EntryKind.DIR;
            case '2' -> EntryKind.SYMLINK;
            case '1' -> EntryKind.HARDLINK;
            default ->
                throw new ArchiveFormatException("the tar entry at tar offset " + at + " has type '"
                        + printable(h.type()) + "', which this server does not index (file, directory, symlink and "
                        + "hard link only)");
        };
        String name = h.name();
        String link = h.linkName();
        long size = h.size();
        long uid = h.uid();
        long gid = h.gid();
        long[] mtime = {h.mtime(), 0};
        String xattrs = null;
        PaxRecords.Sparse sparseFile = null;
        if (p != null) {
            name = p.path(name);
            link = p.linkPath(link);
            size = p.size(size, entryStart);
            uid = p.uid(uid, entryStart);
            gid = p.gid(gid, entryStart);
            mtime = p.mtime(h.mtime(), entryStart);
            xattrs = p.xattrsDigest();
            sparseFile = p.sparse(entryStart);
        }
        long dataLength = size;
        if (sparseFile != null) {
            if (kind != EntryKind.FILE) {
                throw new ArchiveFormatException(
                        "the " + kind.label() + " at tar offset " + at + " has sparse records");
            }
            name = sparseFile.name();
            size = sparseFile.realSize();
        }
        String path = kind == EntryKind.DIR && name.endsWith("/") ? name.substring(0, name.length() - 1) : name;
        if (path.isEmpty() || path.indexOf('\0') >= 0) {
            throw new ArchiveFormatException("the tar entry at tar offset " + at + " has no usable name");
        }
        if (utf8Length(path) > IndexFormat.MAX_NAME || utf8Length(link) > IndexFormat.MAX_NAME) {
            throw new ArchiveFormatException("the tar entry at tar offset " + at + " has a name or link target longer "
                    + "than " + IndexFormat.MAX_NAME + " bytes");
        }
        if (kind != EntryKind.FILE && size != 0) {
            throw new ArchiveFormatException(
                    "the " + kind.label() + " " + path + " at tar offset " + at + " has " + size + " bytes of content");
        }
        boolean linked = kind == EntryKind.SYMLINK || kind == EntryKind.HARDLINK;
        if (linked && link.isEmpty()) {
            throw new ArchiveFormatException(
                    "the " + kind.label() + " " + path + " at tar offset " + at + " has no target");
        }
        long dataOffset = at + BLOCK;
        pending = new PendingEntry(
                path,
                kind,
                h.mode(),
                uid,
                gid,
                mtime[0],
                (int) mtime[1],
                size,
                linked ? link : null,
                entryStart,
                dataOffset,
                xattrs,
                sparseFile != null,
                dataLength);
        entryStart = -1;
        if (kind == EntryKind.FILE) {
            sha256.reset();
            if (sparseFile != null) {
                sparse = new SparseData(size, dataLength, pending.headerOffset, sha256::update);
            }
            if (dataLength == 0) {
                if (sparse != null) {
                    sparse.finish();
                    sparse = null;
                }
                complete(HexFormat.of().formatHex(sha256.digest()));
            } else {
                remaining = dataLength;
                state = State.DATA;
            }
        } else {
            complete(null);
        }
    }

    private void complete(String sha) throws ArchiveFormatException {
        PendingEntry e = pending;
        pending = null;
        listener.entry(new IndexEntry(
                e.path,
                e.kind,
                e.mode,
                e.uid,
                e.gid,
                e.mtimeSeconds,
                e.mtimeNanos,
                e.size,
                sha,
                e.link,
                e.headerOffset,
                e.dataOffset,
                e.xattrs,
                e.sparse,
                e.dataLength));
        skipPadding(e.dataLength);
    }

    private void skipPadding(long contentLength) {
        remaining = (BLOCK - contentLength % BLOCK) % BLOCK;
        state = remaining == 0 ? State.HEADER : State.PADDING;
    }

    private static int utf8Length(String s) {
        return s.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    }

    private static boolean zeros(byte[] b, int length) {
        for (int i = 0; i < length; i++) {
            if (b[i] != 0) {
                return false;
            }
        }
        return true;
    }

    private static String printable(char c) {
        return c >= ' ' && c < 127 ? String.valueOf(c) : String.format("\\x%02x", (int) c);
    }

    private record PendingEntry(
            String path,
            EntryKind kind,
            int mode,
            long uid,
            long gid,
            long mtimeSeconds,
            int mtimeNanos,
            long size,
            String link,
            long headerOffset,
            long dataOffset,
            String xattrs,
            boolean sparse,
            long dataLength) {}
}
