package org.clusterbackup.core.index;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.HexFormat;
import java.util.List;

/**
 * Gets one regular file out of a stored archive by inflating only the segments that hold its content,
 * and checks its SHA-256 against the index: a damaged archive gives an {@link ArchiveFormatException},
 * never a wrong file.
 */
public final class FileExtractor {
    /** Where the content goes, in pieces, as it inflates. */
    @FunctionalInterface
    public interface Content {
        void accept(byte[] bytes, int offset, int length) throws IOException;
    }

    /** An entry of the archive and the segments that hold its content, in order. */
    public record Located(IndexEntry entry, List<IndexSegment> segments) {
        public Located {
            segments = List.copyOf(segments);
        }
    }

    private FileExtractor() {}

    /**
     * Finds the entry named {@code path} and the segments that hold its content: for an index held in memory
     * through a table of its names made once ({@link IndexDirectory}), else in one pass over the index
     * ({@link #scan}).
     *
     * @return null if the archive has no such entry
     */
    public static Located locate(IndexFile index, String path) throws IOException {
        return index.locate(path);
    }

    /**
     * {@link #locate} by one pass over the index, up to the entry's last segment. An entry's record follows the records of the segments that ended before it did, so the segments read
     * so far are kept only while they reach past the last entry's content: at most one file's span.
     *
     * @return null if the archive has no such entry
     */
    static Located scan(IndexFile index, String path) throws IOException {
        byte[] name = path.getBytes(StandardCharsets.UTF_8);
        Deque<IndexSegment> window = new ArrayDeque<>();
        List<IndexSegment> holding = new ArrayList<>();
        IndexEntry[] found = new IndexEntry[1];
        index.read(new IndexFile.Visitor() {
            @Override
            public boolean segment(IndexSegment s) {
                if (found[0] == null) {
                    window.addLast(s);
                    return true;
                }
                if (s.tarOffset() >= found[0].dataEnd()) {
                    return false;
                }
                if (s.overlaps(found[0].dataOffset(), found[0].dataEnd())) {
                    holding.add(s);
                }
                return true;
            }

            @Override
            public boolean wants(byte[] entryName, int offset, int length) {
                // Only the entry sought is made an object: the others are compared as the bytes they are.
                return found[0] == null && Arrays.equals(entryName, offset, offset + length, name, 0, name.length);
            }

            @Override
            public boolean entry(IndexEntry e) {
                found[0] = e;
                window.stream()
                        .filter(s -> s.overlaps(e.dataOffset(), e.dataEnd()))
                        .forEach(holding::add);
                return true;
            }

            @Override
            public boolean skipped(long dataEnd) {
                // Later entries start after this one's content: segments ending before it hold none of theirs.
                while (found[0] == null
                        && !window.isEmpty()
                        && window.peekFirst().tarEnd() <= dataEnd) {
                    window.removeFirst();
                }
                return true;
            }
        });
        return found[0] == null ? null : new Located(found[0], holding);
    }

    /**
     * Streams the content of a located file entry to {@code out}.
     *
     * @throws ArchiveFormatException a segment is damaged, or the content's SHA-256 is not the index's
     */
    public static void extract(SegmentReader archive, Located located, Content out)
            throws IOException, ArchiveFormatException {
        IndexEntry file = located.entry();
        if (file.kind() != EntryKind.FILE) {
            throw new IllegalArgumentException(file.path() + " is not a regular file");
        }
        MessageDigest sha256 = sha256();
        SparseData.Sink content = (b, off, len) -> {
            sha256.update(b, off, len);
            write(out, b, off, len);
        };
        // A sparse file's stored bytes are its map and data regions; what is handed out has the holes filled.
        SparseData sparse =
                file.sparse() ? new SparseData(file.size(), file.dataLength(), file.headerOffset(), content) : null;
        for (IndexSegment s : located.segments()) {
            long[] at = {s.tarOffset()};
            // The last segment only up to the content's end: the rest of it (up to 2 MiB of other files) would
            // be inflated for nothing. The content's SHA-256 below is the check on what was taken.
            long upToEnd = Math.min(s.tarLength(), file.dataEnd() - s.tarOffset());
            archive.inflate(s, upToEnd, (b, off, len) -> {
                long from = Math.max(at[0], file.dataOffset());
                long to = Math.min(at[0] + len, file.dataEnd());
                if (from < to) {
                    int start = off + (int) (from - at[0]);
                    if (sparse != null) {
                        sparse.accept(b, start, (int) (to - from));
                    } else {
                        content.write(b, start, (int) (to - from));
                    }
                }
                at[0] += len;
            });
        }
        if (sparse != null) {
            sparse.finish();
        }
        String actual = HexFormat.of().formatHex(sha256.digest());
        if (!actual.equals(file.sha256())) {
            throw new ArchiveFormatException(
                    "the content of " + file.path() + " has sha256 " + actual + ", the index says " + file.sha256());
        }
    }

    /** The inflater's sink speaks ArchiveFormatException only; a failing write travels through it unchecked. */
    private static void write(Content out, byte[] b, int off, int len) {
        try {
            out.accept(b, off, len);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
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
