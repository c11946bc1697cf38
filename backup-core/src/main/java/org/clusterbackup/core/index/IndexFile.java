package org.clusterbackup.core.index;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
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
import java.util.Arrays;
import java.util.HexFormat;

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
    }

    private final Path file;
    private final FileChannel channel;
    private final int version;

    private IndexFile(Path file, FileChannel channel, int version) {
        this.file = file;
        this.channel = channel;
        this.version = version;
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
            String actual = HexFormat.of().formatHex(sha.digest());
            if (!Arrays.equals(trailer.array(), HexFormat.of().parseHex(actual))) {
                throw new UnusableIndexException("its index file is damaged (its checksum does not match): " + file);
            }
            if (!actual.equals(expectedSha256)) {
                throw new UnusableIndexException("its index file is not the one recorded for it (sha256 " + actual
                        + ", the catalog says " + expectedSha256 + "): " + file);
            }
            ByteBuffer head = ByteBuffer.allocate(IndexFormat.MAGIC.length + 2);
            while (head.hasRemaining() && channel.read(head, head.position()) > 0) {
                // positional reads until magic and version are in
            }
            if (!Arrays.equals(Arrays.copyOf(head.array(), IndexFormat.MAGIC.length), IndexFormat.MAGIC)) {
                throw new UnusableIndexException("its index file does not start with the index magic: " + file);
            }
            int version = head.getShort(IndexFormat.MAGIC.length) & 0xffff;
            if (version < IndexFormat.FIRST_VERSION || version > IndexFormat.VERSION) {
                throw new UnusableIndexException("its index file has format version " + version
                        + "; this server reads versions " + IndexFormat.FIRST_VERSION + " to " + IndexFormat.VERSION
                        + ": " + file);
            }
            return new IndexFile(file, channel, version);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new UnusableIndexException("its index file cannot be read: " + file + ": " + e.getMessage());
        } catch (UnusableIndexException e) {
            closeQuietly(channel);
            throw e;
        }
    }

    /** Streams the records in file order (checked by {@link #open}, so a parse failure means a bug or a race). */
    public void read(Visitor visitor) throws IOException {
        DataInputStream in = new DataInputStream(new BufferedInputStream(
                Channels.newInputStream(channel.position(0)), 64 * 1024));
        in.skipNBytes(IndexFormat.MAGIC.length + 4); // magic, version and flags: checked by open
        long segments = 0;
        while (true) {
            int tag = in.read();
            if (tag == IndexFormat.SEGMENT) {
                IndexSegment s = new IndexSegment(segments++, in.readLong(), Integer.toUnsignedLong(in.readInt()),
                        in.readLong(), Integer.toUnsignedLong(in.readInt()), Integer.toUnsignedLong(in.readInt()));
                if (!visitor.segment(s)) {
                    return;
                }
            } else if (tag == IndexFormat.ENTRY) {
                if (!visitor.entry(entry(in))) {
                    return;
                }
            } else if (tag == IndexFormat.END) {
                in.skipNBytes(32);
                return;
            } else {
                throw bad(tag < 0 ? "ends without its end record" : "has an unknown record type " + tag);
            }
        }
    }

    private IndexEntry entry(DataInputStream in) throws IOException {
        int code = in.readUnsignedByte();
        EntryKind kind = EntryKind.ofCode(code);
        if (kind == null || kind == EntryKind.HARDLINK && version < 2) {
            throw bad("has an entry of unknown kind " + code);
        }
        int mode = in.readUnsignedShort();
        long uid = in.readLong();
        long gid = in.readLong();
        long mtime = in.readLong();
        int nanos = in.readInt();
        long size = in.readLong();
        long header = in.readLong();
        long data = in.readLong();
        String sha = kind == EntryKind.FILE ? HexFormat.of().formatHex(in.readNBytes(32)) : null;
        String path = string(in);
        String link = kind == EntryKind.SYMLINK || kind == EntryKind.HARDLINK ? string(in) : null;
        int flags = version >= 2 ? in.readUnsignedByte() : 0;
        if ((flags & ~(IndexFormat.FLAG_XATTRS | IndexFormat.FLAG_SPARSE)) != 0) {
            throw bad("has an entry with unknown flags " + flags);
        }
        String xattrs = (flags & IndexFormat.FLAG_XATTRS) != 0 ? HexFormat.of().formatHex(in.readNBytes(32)) : null;
        boolean sparse = (flags & IndexFormat.FLAG_SPARSE) != 0;
        long dataLength = sparse ? in.readLong() : size;
        try {
            return new IndexEntry(path, kind, mode, uid, gid, mtime, nanos, size, sha, link, header, data, xattrs,
                    sparse, dataLength);
        } catch (IllegalArgumentException e) {
            throw bad("has an impossible entry: " + e.getMessage());
        }
    }

    private String string(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > IndexFormat.MAX_NAME) {
            throw bad("has a name of " + Integer.toUnsignedString(length) + " bytes");
        }
        byte[] bytes = in.readNBytes(length);
        if (bytes.length != length) {
            throw new EOFException("index " + file + " ends inside a name");
        }
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private IOException bad(String what) {
        return new IOException("index " + file + " " + what);
    }

    public Path file() {
        return file;
    }

    @Override
    public void close() {
        closeQuietly(channel);
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
