package org.clusterbackup.core.index;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import org.clusterbackup.core.archive.Hex;

/**
 * A stored archive's index, opened and checked: {@link #open} reads the file once to compare the SHA-256
 * of its body with its trailer and with the catalog's, so a truncated, damaged or foreign index is refused
 * before anything trusts it. {@link #read} then streams its records in file order; nothing is held.
 */
public final class IndexFile implements AutoCloseable {
    /** Told each record in file order; return false to stop early. */
    public interface Visitor {
        default boolean segment(IndexSegment segment) throws IOException {
            return true;
        }

        default boolean entry(IndexEntry entry) throws IOException {
            return true;
        }

        /**
         * Whether the next entry, named by the UTF-8 bytes {@code name[offset, offset + length)} as the index
         * holds them (valid during this call only), is to be told to {@link #entry}; if not, it is skipped
         * without being materialised and only where its content ends goes to {@link #skipped}. A lookup by
         * name compares bytes here instead of making an object of every entry.
         */
        default boolean wants(byte[] name, int offset, int length) {
            return true;
        }

        /** An entry {@link #wants} declined: where its content ends in the tar stream. Return false to stop. */
        default boolean skipped(long dataEnd) {
            return true;
        }
    }

    /** A visitor of a held index told where each record starts in its bytes, before the record (IndexDirectory). */
    interface RecordStarts {
        void recordAt(int offset);
    }

    /** A segment record after its tag: tar offset, tar length, gzip offset, gzip length, CRC-32. */
    private static final int SEGMENT_FIELDS = 8 + 4 + 8 + 4 + 4;
    /** An entry record's fixed fields after its tag: kind, mode, uid, gid, mtime, nanos, size, two offsets. */
    private static final int ENTRY_FIELDS = 1 + 2 + 8 + 8 + 8 + 4 + 8 + 8 + 8;

    private final Path file;
    /** The file, read again by each {@link #read}; null when the checked bytes are held instead. */
    private final FileChannel channel;
    /** The whole file as it was checked (see {@link #of}); null when read from {@link #channel}. */
    private final byte[] bytes;

    private final int version;
    /** A held index's table of names, made on its first lookup ({@link #locate}). */
    private volatile IndexDirectory directory;

    private IndexFile(Path file, FileChannel channel, byte[] bytes, int version) {
        this.file = file;
        this.channel = channel;
        this.bytes = bytes;
        this.version = version;
    }

    /**
     * An index from the whole content of {@code file}, checked here as {@link #open} checks the file: read
     * from these bytes from then on, never from the disk again. Closing it releases nothing.
     *
     * @throws UnusableIndexException the bytes are truncated, damaged or not this archive's index
     */
    public static IndexFile of(Path file, byte[] bytes, String expectedSha256) throws UnusableIndexException {
        if (bytes.length < IndexFormat.MAGIC.length + 4 + 1 + IndexFormat.TRAILER) {
            throw new UnusableIndexException("its index file is truncated: " + file);
        }
        int body = bytes.length - IndexFormat.TRAILER;
        MessageDigest sha = sha256();
        sha.update(bytes, 0, body);
        int version = check(
                file,
                sha,
                Arrays.copyOfRange(bytes, body, bytes.length),
                Arrays.copyOf(bytes, IndexFormat.MAGIC.length + 2),
                expectedSha256);
        return new IndexFile(file, null, bytes, version);
    }

    /**
     * @param expectedSha256 what the catalog recorded for this archive's index
     * @throws UnusableIndexException the index is missing, unreadable, damaged or not this archive's
     */
    public static IndexFile open(Path file, String expectedSha256) throws UnusableIndexException {
        FileChannel channel;
        try {
            channel = FileChannel.open(file, StandardOpenOption.READ);
        } catch (NoSuchFileException e) {
            throw new UnusableIndexException("its index file is missing: " + file);
        } catch (IOException e) {
            throw new UnusableIndexException("its index file cannot be read: " + file + ": " + e.getMessage());
        }
        try {
            long size = channel.size();
            if (size < IndexFormat.MAGIC.length + 4 + 1 + IndexFormat.TRAILER) {
                throw new UnusableIndexException("its index file is truncated: " + file);
            }
            long body = size - IndexFormat.TRAILER;
            MessageDigest sha = sha256();
            InputStream in = Channels.newInputStream(channel.position(0));
            byte[] buffer = new byte[64 * 1024];
            long left = body;
            while (left > 0) {
                int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
                if (n < 0) {
                    throw new UnusableIndexException("its index file shrank while being read: " + file);
                }
                sha.update(buffer, 0, n);
                left -= n;
            }
            ByteBuffer trailer = ByteBuffer.allocate(IndexFormat.TRAILER);
            while (trailer.hasRemaining() && channel.read(trailer, body + trailer.position()) > 0) {
                // positional reads until the trailer is in
            }
            ByteBuffer head = ByteBuffer.allocate(IndexFormat.MAGIC.length + 2);
            while (head.hasRemaining() && channel.read(head, head.position()) > 0) {
                // positional reads until magic and version are in
            }
            int version = check(file, sha, trailer.array(), head.array(), expectedSha256);
            return new IndexFile(file, channel, null, version);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new UnusableIndexException("its index file cannot be read: " + file + ": " + e.getMessage());
        } catch (UnusableIndexException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    /**
     * Compares the body's SHA-256 with the trailer and the catalog's, then the magic and version.
     *
     * @param head the file's first bytes: magic and version
     * @return the format version
     */
    private static int check(Path file, MessageDigest body, byte[] trailer, byte[] head, String expectedSha256)
            throws UnusableIndexException {
        String actual = HexFormat.of().formatHex(body.digest());
        if (!Arrays.equals(trailer, HexFormat.of().parseHex(actual))) {
            throw new UnusableIndexException("its index file is damaged (its checksum does not match): " + file);
        }
        if (!actual.equals(expectedSha256)) {
            throw new UnusableIndexException("its index file is not the one recorded for it (sha256 " + actual
                    + ", the catalog says " + expectedSha256 + "): " + file);
        }
        if (!Arrays.equals(Arrays.copyOf(head, IndexFormat.MAGIC.length), IndexFormat.MAGIC)) {
            throw new UnusableIndexException("its index file does not start with the index magic: " + file);
        }
        int version = ByteBuffer.wrap(head).getShort(IndexFormat.MAGIC.length) & 0xffff;
        if (version < IndexFormat.FIRST_VERSION || version > IndexFormat.VERSION) {
            throw new UnusableIndexException("its index file has format version " + version
                    + "; this server reads versions " + IndexFormat.FIRST_VERSION + " to " + IndexFormat.VERSION
                    + ": " + file);
        }
        return version;
    }

    /**
     * The segment records alone, in order. The entries between them are skipped where they lie (no entry
     * object, no string is made of them), so this costs a scan of the file.
     */
    public List<IndexSegment> segments() throws IOException {
        List<IndexSegment> segments = new ArrayList<>();
        read(new Visitor() {
            @Override
            public boolean segment(IndexSegment s) {
                return segments.add(s);
            }

            @Override
            public boolean wants(byte[] name, int offset, int length) {
                return false;
            }
        });
        return segments;
    }

    /** Streams the records in file order (checked by {@link #open}, so a parse failure means a bug or a race). */
    public void read(Visitor visitor) throws IOException {
        int start = IndexFormat.MAGIC.length + 4; // magic, version and flags: checked by open
        IndexInput in = bytes != null ? new IndexInput(bytes, start) : new IndexInput(channel, start);
        long segments = 0;
        RecordStarts starts = bytes != null && visitor instanceof RecordStarts r ? r : null;
        while (true) {
            if (starts != null) {
                starts.recordAt(in.offset());
            }
            int tag = in.next();
            if (tag == IndexFormat.SEGMENT) {
                ByteBuffer b = in.fields(SEGMENT_FIELDS);
                IndexSegment s = new IndexSegment(
                        segments++,
                        b.getLong(),
                        Integer.toUnsignedLong(b.getInt()),
                        b.getLong(),
                        Integer.toUnsignedLong(b.getInt()),
                        Integer.toUnsignedLong(b.getInt()));
                if (!visitor.segment(s)) {
                    return;
                }
            } else if (tag == IndexFormat.ENTRY) {
                if (!entry(in, visitor)) {
                    return;
                }
            } else if (tag == IndexFormat.END) {
                in.skip(32);
                return;
            } else {
                throw bad(tag < 0 ? "ends without its end record" : "has an unknown record type " + tag);
            }
        }
    }

    /**
     * Reads one entry record and tells the visitor, materialised or skipped as it {@link Visitor#wants}: a
     * skipped one makes no strings (its name is compared where it lies in the buffer).
     */
    private boolean entry(IndexInput in, Visitor visitor) throws IOException {
        ByteBuffer b = in.fields(ENTRY_FIELDS);
        int code = b.get() & 0xff;
        EntryKind kind = EntryKind.ofCode(code);
        if (kind == null || kind == EntryKind.HARDLINK && version < 2) {
            throw bad("has an entry of unknown kind " + code);
        }
        int mode = b.getShort() & 0xffff;
        long uid = b.getLong();
        long gid = b.getLong();
        long mtime = b.getLong();
        int nanos = b.getInt();
        long size = b.getLong();
        long header = b.getLong();
        long data = b.getLong();
        byte[] sha = kind == EntryKind.FILE ? in.copy(new byte[32]) : null;
        int length = nameLength(in);
        int at = in.take(length);
        boolean wanted = visitor.wants(in.array(), at, length);
        String path = wanted ? new String(in.array(), at, length, StandardCharsets.UTF_8) : null;
        boolean linked = kind == EntryKind.SYMLINK || kind == EntryKind.HARDLINK;
        String link = null;
        if (linked) {
            int linkLength = nameLength(in);
            int linkAt = in.take(linkLength);
            link = wanted ? new String(in.array(), linkAt, linkLength, StandardCharsets.UTF_8) : null;
        }
        int flags = version >= 2 ? in.u8() : 0;
        if ((flags & ~(IndexFormat.FLAG_XATTRS | IndexFormat.FLAG_SPARSE)) != 0) {
            throw bad("has an entry with unknown flags " + flags);
        }
        byte[] xattrs = (flags & IndexFormat.FLAG_XATTRS) != 0 ? in.copy(new byte[32]) : null;
        boolean sparse = (flags & IndexFormat.FLAG_SPARSE) != 0;
        long dataLength = sparse ? in.i64() : size;
        if (!wanted) {
            return visitor.skipped(data + dataLength);
        }
        try {
            return visitor.entry(new IndexEntry(
                    path,
                    kind,
                    mode,
                    uid,
                    gid,
                    mtime,
                    nanos,
                    size,
                    hex(sha),
                    link,
                    header,
                    data,
                    hex(xattrs),
                    sparse,
                    dataLength));
        } catch (IllegalArgumentException e) {
            throw bad("has an impossible entry: " + e.getMessage());
        }
    }

    /**
     * The first entry named {@code path} and the segments that hold its content, or null: for an index held in
     * memory through a table of its names made once ({@link IndexDirectory}), for one read from its file by
     * a scan ({@link FileExtractor#locate}).
     */
    FileExtractor.Located locate(String path) throws IOException {
        if (bytes == null) {
            return FileExtractor.scan(this, path);
        }
        IndexDirectory d = directory;
        if (d == null) {
            d = IndexDirectory.of(this, bytes);
            directory = d;
        }
        return d.locate(path);
    }

    /** The entry whose record starts at {@code offset} of the held bytes (an offset IndexDirectory found). */
    IndexEntry entryAt(int offset) throws IOException {
        IndexInput in = new IndexInput(bytes, offset);
        if (in.next() != IndexFormat.ENTRY) {
            throw bad("has no entry record at " + offset);
        }
        IndexEntry[] found = new IndexEntry[1];
        entry(in, new Visitor() {
            @Override
            public boolean entry(IndexEntry e) {
                found[0] = e;
                return true;
            }
        });
        return found[0];
    }

    private static String hex(byte[] digest) {
        return digest == null ? null : Hex.format(digest);
    }

    private int nameLength(IndexInput in) throws IOException {
        int length = in.i32();
        if (length < 0 || length > IndexFormat.MAX_NAME) {
            throw bad("has a name of " + Integer.toUnsignedString(length) + " bytes");
        }
        return length;
    }

    private IOException bad(String what) {
        return new IOException("index " + file + " " + what);
    }

    public Path file() {
        return file;
    }

    @Override
    public void close() {
        if (channel != null) {
            closeQuietly(channel);
        }
    }

    private static void closeQuietly(FileChannel channel) {
        try {
            channel.close();
        } catch (IOException ignored) {
            // read-only: nothing to lose
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }
}
