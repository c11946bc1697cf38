package org.clusterbackup.core.index;

import java.io.IOException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

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

    private FileExtractor() {
    }

    /** The entry named {@code path}, or null if the archive has none. */
    public static IndexEntry find(IndexFile index, String path) throws IOException {
        IndexEntry[] found = new IndexEntry[1];
        index.read(new IndexFile.Visitor() {
            @Override
            public boolean entry(IndexEntry e) {
                if (e.path().equals(path)) {
                    found[0] = e;
                    return false;
                }
                return true;
            }
        });
        return found[0];
    }

    /**
     * Streams the content of a file entry to {@code out}.
     *
     * @throws ArchiveFormatException a segment is damaged, or the content's SHA-256 is not the index's
     */
    public static void extract(IndexFile index, SegmentReader archive, IndexEntry file, Content out)
            throws IOException, ArchiveFormatException {
        if (file.kind() != EntryKind.FILE) {
            throw new IllegalArgumentException(file.path() + " is not a regular file");
        }
        MessageDigest sha256 = sha256();
        ArchiveFormatException[] damage = new ArchiveFormatException[1];
        try {
            readSegments(index, archive, file, out, sha256, damage);
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        }
        if (damage[0] != null) {
            throw damage[0];
        }
        String actual = HexFormat.of().formatHex(sha256.digest());
        if (!actual.equals(file.sha256())) {
            throw new ArchiveFormatException("the content of " + file.path() + " has sha256 " + actual
                    + ", the index says " + file.sha256());
        }
    }

    private static void readSegments(IndexFile index, SegmentReader archive, IndexEntry file, Content out,
                                     MessageDigest sha256, ArchiveFormatException[] damage) throws IOException {
        index.read(new IndexFile.Visitor() {
            @Override
            public boolean segment(IndexSegment s) throws IOException {
                if (s.tarOffset() >= file.dataEnd()) {
                    return false;
                }
                if (!s.overlaps(file.dataOffset(), file.dataEnd())) {
                    return true;
                }
                try {
                    long[] at = {s.tarOffset()};
                    archive.inflate(s, (b, off, len) -> {
                        long from = Math.max(at[0], file.dataOffset());
                        long to = Math.min(at[0] + len, file.dataEnd());
                        if (from < to) {
                            int start = off + (int) (from - at[0]);
                            sha256.update(b, start, (int) (to - from));
                            write(out, b, start, (int) (to - from));
                        }
                        at[0] += len;
                    });
                } catch (ArchiveFormatException e) {
                    damage[0] = e;
                    return false;
                }
                return true;
            }
        });
    }

    /** The sink speaks ArchiveFormatException only; a failing write travels through it unchecked. */
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
