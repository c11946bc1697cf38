package org.clusterbackup.core.archive;

import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.security.MessageDigest;

/**
 * Writes files that have holes ({@link SparseMap}) in the PAX 1.0 sparse format: the header, the map, then
 * only the data regions. A buffered file's map comes from the buffer already read; a streamed file's from a
 * first pass over it, since the header (with the stored length) must precede the data. The content hash is
 * always of the whole content, holes read as zeros, so a file hashes the same stored either way.
 */
final class SparseCopy {
    private static final byte[] ZEROS = new byte[64 * 1024];

    private final ExactReader reader;

    SparseCopy(ExactReader reader) {
        this.reader = reader;
    }

    /** The map of {@code whole[0, size)}, or null if it has no holes worth a map. */
    static SparseMap ofBuffer(byte[] whole, int size) {
        if (size < SparseMap.MIN_HOLE) {
            return null;
        }
        SparseMap.Builder b = new SparseMap.Builder();
        b.accept(whole, 0, size);
        return usable(b.finish());
    }

    /**
     * Reads the file once to find its holes; null if it has none worth a map or could not be read (the copy
     * that follows reports that).
     */
    SparseMap scan(SeekableByteChannel channel, long size) throws IOException {
        SparseMap.Builder b = new SparseMap.Builder();
        ExactReader.Result r = reader.look(channel, size, b::accept);
        return r.error() != null ? null : usable(b.finish());
    }

    private static SparseMap usable(SparseMap map) {
        return map.hasHoles() && map.encode().length <= SparseMap.MAX_MAP ? map : null;
    }

    /** The header of a file stored sparse with {@code map}. */
    static TarEntryHeader header(TarEntryHeader plain, SparseMap map) {
        return new TarEntryHeader(plain.name(), plain.type(), plain.mode(), map.storedLength(), plain.mtimeSeconds(),
                plain.mtimeNanos(), plain.uid(), plain.gid(), plain.linkName(), plain.extra(), map.size());
    }

    /** Writes a buffered file: header, map, the regions of {@code whole}. */
    static void writeBuffered(TarGzStream tar, TarEntryHeader plain, SparseMap map, byte[] whole) throws IOException {
        tar.beginFile(header(plain, map));
        byte[] encoded = map.encode();
        tar.write(encoded, 0, encoded.length);
        for (long[] r : map.regions()) {
            tar.write(whole, (int) r[0], (int) r[1]);
        }
        tar.endFile();
    }

    /**
     * Streams a file's regions, each read where the map says; what lies between is taken to be zeros, as the
     * first pass found it.
     *
     * @return the hash of the content as archived, how much came from the file before a failure, the failure
     */
    ExactReader.Result stream(TarGzStream tar, TarEntryHeader plain, SparseMap map, SeekableByteChannel channel,
                              ExactReader.Progress progress) throws IOException {
        tar.beginFile(header(plain, map));
        byte[] encoded = map.encode();
        tar.write(encoded, 0, encoded.length);
        MessageDigest sha256 = TreeDigest.newSha256();
        long at = 0;
        long fromFile = map.size();
        IOException error = null;
        for (long[] r : map.regions()) {
            zeros(sha256, r[0] - at);
            long offset = r[0];
            IOException seekFailed = null;
            try {
                channel.position(offset);
            } catch (IOException e) {
                seekFailed = e;
            }
            ExactReader.Result read;
            if (seekFailed == null) {
                read = reader.stream(channel, r[1], (b, off, len) -> {
                    sha256.update(b, off, len);
                    tar.write(b, off, len);
                }, progress == null ? null : done -> progress.chunkDone(offset + done));
            } else {
                // The region is zero-filled, as the rest of a file that failed to read is.
                zeros(sha256, r[1]);
                writeZeros(tar, r[1]);
                read = new ExactReader.Result(new byte[0], 0, seekFailed);
            }
            if (read.error() != null && error == null) {
                error = read.error();
                fromFile = offset + read.fromFile();
            }
            at = r[0] + r[1];
        }
        zeros(sha256, map.size() - at);
        tar.endFile();
        return new ExactReader.Result(sha256.digest(), fromFile, error);
    }

    private static void zeros(MessageDigest sha256, long n) {
        while (n > 0) {
            int k = (int) Math.min(n, ZEROS.length);
            sha256.update(ZEROS, 0, k);
            n -= k;
        }
    }

    private static void writeZeros(TarGzStream tar, long n) throws IOException {
        while (n > 0) {
            int k = (int) Math.min(n, ZEROS.length);
            tar.write(ZEROS, 0, k);
            n -= k;
        }
    }
}
