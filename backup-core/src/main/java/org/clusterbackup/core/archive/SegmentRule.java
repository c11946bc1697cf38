package org.clusterbackup.core.archive;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import org.clusterbackup.core.protocol.Segment;

/**
 * Where the tar stream of an archive is cut into segments. The rule reads nothing but the tar stream
 * itself (entry names, header and data lengths), so the same tree always gives the same cuts, and a file
 * added, removed or grown moves cuts only near itself. The agent applies it while writing an archive; the
 * server can apply it again to lay out an archive it builds from entries it already holds.
 *
 * <p>One rule object follows one tar stream from its first byte: call {@link #entry} for every entry in
 * order, then {@link #end} once, and after each call take {@link #nextCut()} until it answers -1: the tar
 * offsets (from the start of the stream, ascending) at which segments end within or right after what was
 * laid out. (A long file's cuts are made one at a time, so a file of any size costs no memory.) The rule,
 * with its constants:
 * <ol>
 * <li><b>Small entries</b> (directories, symlinks, files under {@link #LONG_FILE} bytes) are never split.
 *     After one, the open segment is closed if it now holds at least {@link #MAX_LENGTH} bytes, or at least
 *     {@link #MIN_LENGTH} bytes and the entry's name {@linkplain #nameHits hits}: its hash (the first four
 *     bytes of the SHA-256 of the name, as an unsigned big-endian number) is below the entry's length in the tar times 2<sup>32</sup> / {@link #SPACING}
 *     (always true for an entry of {@code SPACING} bytes or more). So past the minimum a segment ends after
 *     about {@code SPACING} more bytes on average, whatever the sizes of the files, and the decision for one
 *     entry depends only on that entry and on the open segment having reached the minimum.</li>
 * <li><b>Long files</b> ({@link #LONG_FILE} bytes of data or more) stand alone: the open segment ends after
 *     the file's header; the data is cut every {@link #PIECE} bytes counted from its own start, except that
 *     the last piece takes what remains (from {@code PIECE} to just under 2 × {@code PIECE} bytes, with the
 *     padding to 512 bytes); and a segment ends after the file. A long file's data therefore makes the same
 *     segments wherever it sits in the tree.</li>
 * <li><b>The end</b> of the tar (two zero records and the padding to a whole 10 KiB record) joins the open
 *     segment, which then ends.</li>
 * <li><b>Hard limit</b>: a segment that reaches {@link #HARD_LIMIT} bytes ends there, even inside a header.
 *     Only headers of about a mebibyte (names longer than any file system allows) can make that happen.</li>
 * </ol>
 * A segment is never empty. Without the hard limit, no segment exceeds 3 MiB plus one header.
 *
 * <p>Names are the entry names as they appear in the tar (what {@code tar -t} lists, UTF-8): {@code ./} for
 * the root, a trailing {@code /} for directories.
 *
 * <p>Not thread-safe.
 */
public final class SegmentRule {
    /**
     * A segment closes after a small entry only once it holds at least this many bytes (128 KiB)... Small
     * segments make a changed-only backup cheap on the server (a segment holding a changed file is deflated
     * anew, the others are copied) at a small cost in size (each segment starts deflate's dictionary afresh):
     * on the benchmark's tree 0.4% against 4× fewer bytes re-deflated than with 256 KiB + 512 KiB. See
     * docs/STORAGE.md.
     */
    public static final long MIN_LENGTH = 128L * 1024;
    /** ...and always once it holds this many (2 MiB). */
    public static final long MAX_LENGTH = 2L * 1024 * 1024;
    /** Past the minimum, a segment ends after this many more bytes on average (64 KiB = 2<sup>16</sup>). */
    public static final long SPACING = 64L * 1024;
    /** A file with at least this many bytes of data (1 MiB) is long: it gets segments of its own. */
    public static final long LONG_FILE = 1024L * 1024;
    /** A long file's data is cut every this many bytes (1 MiB) from its start; the last piece is longer. */
    public static final long PIECE = 1024L * 1024;
    /** No segment holds more tar than this (4 MiB), the protocol's bound. */
    public static final long HARD_LIMIT = Segment.MAX_TAR_LENGTH;
    /** Tar's block: headers and data (padded) come in whole blocks. */
    public static final int BLOCK = 512;

    /**
     * The sizes a rule cuts by: {@code minLength}, {@code spacing} and {@code maxLength} as {@link #MIN_LENGTH},
     * {@link #SPACING} and {@link #MAX_LENGTH} are for the rule of this version, and {@code piece} as both
     * {@link #LONG_FILE} and {@link #PIECE}. Other sizes are for measuring the trade-off (see
     * docs/PERFORMANCE.md) and for tests of archives cut by another rule.
     */
    public record Sizes(long minLength, long spacing, long maxLength, long piece) {
        public Sizes {
            if (minLength < BLOCK || spacing < BLOCK || maxLength < minLength || piece < BLOCK) {
                throw new IllegalArgumentException("impossible segment sizes: min " + minLength + ", spacing " + spacing
                        + ", max " + maxLength + ", piece " + piece);
            }
            if (maxLength + piece > HARD_LIMIT || 2 * piece > HARD_LIMIT) {
                throw new IllegalArgumentException(
                        "segments of max " + maxLength + " and pieces of " + piece + " could pass the hard limit");
            }
        }
    }

    /** The sizes of this version's rule. */
    public static final Sizes SIZES = new Sizes(MIN_LENGTH, SPACING, MAX_LENGTH, PIECE);

    private final Sizes sizes;
    /** 2<sup>32</sup> / spacing. */
    private final long thresholdPerByte;

    private long position;
    private long segmentStart;
    private final ArrayDeque<Long> queued = new ArrayDeque<>();
    /** Pieces of a long file's data still to lay out, and the length of the last one. */
    private long piecesLeft;

    private long lastPiece;

    /** The rule of this version ({@link #SIZES}). */
    public SegmentRule() {
        this(SIZES);
    }

    /** The same rule with other sizes. */
    public SegmentRule(Sizes sizes) {
        this.sizes = sizes;
        this.thresholdPerByte = (1L << 32) / sizes.spacing();
    }

    /** The tar offset laid out so far: where the next entry (or the end) starts once every cut is taken. */
    public long position() {
        return position;
    }

    /** Bytes in the open segment. */
    public long openLength() {
        return position - segmentStart;
    }

    /**
     * Lays out the next entry. Its cuts follow from {@link #nextCut()}.
     *
     * @param name the entry's name as in the tar
     * @param headerLength bytes of all its header blocks (PAX extended header included), a positive multiple of 512
     * @param dataSize bytes of data, before the padding to 512
     * @throws IllegalStateException if cuts of the previous entry were not all taken
     */
    public void entry(String name, long headerLength, long dataSize) {
        if (headerLength <= 0 || headerLength % BLOCK != 0) {
            throw new IllegalArgumentException("headerLength must be a positive multiple of 512, was " + headerLength);
        }
        if (dataSize < 0) {
            throw new IllegalArgumentException("dataSize cannot be negative, was " + dataSize);
        }
        checkDrained();
        long padded = padded(dataSize);
        if (dataSize >= sizes.piece()) {
            lay(headerLength);
            cut();
            piecesLeft = dataSize / sizes.piece();
            lastPiece = padded - (piecesLeft - 1) * sizes.piece();
        } else {
            long length = headerLength + padded;
            lay(length);
            long open = openLength();
            if (open >= sizes.maxLength() || (open >= sizes.minLength() && hits(name, length))) {
                cut();
            }
        }
    }

    /**
     * Lays out the end of the tar stream, which closes the last segment. Its cuts follow from {@link #nextCut()};
     * the last is the end of the stream.
     *
     * @param trailerLength bytes after the last entry: the two zero records and the record padding
     */
    public void end(long trailerLength) {
        if (trailerLength < 0) {
            throw new IllegalArgumentException("trailerLength cannot be negative, was " + trailerLength);
        }
        checkDrained();
        lay(trailerLength);
        cut();
    }

    /** The next tar offset at which a segment ends, or -1 when the cuts of what was laid out are all taken. */
    public long nextCut() {
        if (queued.isEmpty() && piecesLeft > 0) {
            lay(--piecesLeft > 0 ? sizes.piece() : lastPiece);
            cut();
        }
        Long cut = queued.poll();
        return cut == null ? -1 : cut;
    }

    /**
     * True if an entry named {@code name} that takes {@code entryLength} bytes of tar (headers and padded data)
     * may end a segment that has reached {@link #MIN_LENGTH}.
     */
    public static boolean nameHits(String name, long entryLength) {
        return new SegmentRule().hits(name, entryLength);
    }

    /**
     * One digest per thread, reset by each {@code digest}: the rule hashes every entry's name, and a provider
     * lookup per name cost more than the hash of a short name.
     */
    private static final ThreadLocal<MessageDigest> NAME_SHA256 = ThreadLocal.withInitial(() -> {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    });

    private boolean hits(String name, long entryLength) {
        return entryLength >= sizes.spacing() || nameHash(name) < entryLength * thresholdPerByte;
    }

    /**
     * The first four bytes of the SHA-256 of the name's UTF-8 bytes, big-endian, unsigned. (A cheaper hash such
     * as FNV-1a mixes a name's last characters poorly into its high bits, so names that differ only there,
     * {@code f1.txt}, {@code f2.txt}..., would hit together and cut badly.)
     */
    public static long nameHash(String name) {
        byte[] d = NAME_SHA256.get().digest(name.getBytes(StandardCharsets.UTF_8));
        return (d[0] & 0xffL) << 24 | (d[1] & 0xffL) << 16 | (d[2] & 0xffL) << 8 | (d[3] & 0xffL);
    }

    /** {@code size} rounded up to a whole number of 512-byte blocks. */
    public static long padded(long size) {
        return (size + BLOCK - 1) / BLOCK * BLOCK;
    }

    /** Adds {@code length} bytes to the open segment, closing it wherever it reaches the hard limit. */
    private void lay(long length) {
        while (length > 0) {
            long n = Math.min(length, HARD_LIMIT - openLength());
            position += n;
            length -= n;
            if (openLength() == HARD_LIMIT) {
                cut();
            }
        }
    }

    private void cut() {
        if (position > segmentStart) {
            queued.add(position);
            segmentStart = position;
        }
    }

    private void checkDrained() {
        if (!queued.isEmpty() || piecesLeft > 0) {
            throw new IllegalStateException("the cuts of the previous entry were not all taken");
        }
    }
}
