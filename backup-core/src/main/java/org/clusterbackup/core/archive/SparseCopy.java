package org.clusterbackup.core.archive;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.security.MessageDigest;
import java.util.Arrays;

/**
 * Writes files that have holes ({@link SparseMap}) in the PAX 1.0 sparse format: the header, the map, then
 * only the data regions. A buffered file's map comes from the buffer already read; a streamed file's from a
 * first pass over it, since the header (with the stored length) must precede the data. The content hash is
 * always of the whole content, holes read as zeros, so a file hashes the same stored either way.
 *
 * <p><b>Probes before the pass.</b> A hole is at least {@link SparseMap#MIN_HOLE} bytes of whole zero blocks,
 * so it covers at least {@value #PROBE_STRIDE} consecutive blocks, one of which has an index that is a
 * multiple of {@value #PROBE_STRIDE}. A file none of whose such blocks is all zeros has no hole: reading those
 * blocks alone (one in {@value #PROBE_STRIDE}, usually deciding on its first byte) proves it, and the first
 * pass over the whole file is left for files that may really have holes. The map, and so the archive, is
 * exactly what the full pass would give.
 */
final class SparseCopy {
    private static final byte[] ZEROS = new byte[64 * 1024];
    /** One block in this many is probed: a hole spans at least this many blocks. */
    static final int PROBE_STRIDE = (int) (SparseMap.MIN_HOLE / SparseMap.BLOCK);

    private final ByteBuffer probe = ByteBuffer.allocate(SparseMap.BLOCK);

    private final ExactReader reader;

    SparseCopy(ExactReader reader) {
        this.reader = reader;
    }

    /** The map of {@code whole[0, size)}, or null if it has no holes worth a map. */
    static SparseMap ofBuffer(byte[] whole, int size) {
        if (size < SparseMap.MIN_HOLE || !probedZeroBlock(whole, size)) {
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
        if (size < SparseMap.MIN_HOLE || !probedZeroBlockOrFailed(channel, size)) {
            return null;
        }
        channel.position(0);
        SparseMap.Builder b = new SparseMap.Builder();
        ExactReader.Result r = reader.look(channel, size, b::accept);
        return r.error() != null ? null : usable(b.finish());
    }

    /** True if some probed block of {@code whole[0, size)} is all zeros (see the class comment). */
    static boolean probedZeroBlock(byte[] whole, int size) {
        long stride = (long) PROBE_STRIDE * SparseMap.BLOCK;
        for (long at = 0; at < size; at += stride) {
            int end = (int) Math.min(size, at + SparseMap.BLOCK);
            if (Arrays.mismatch(whole, (int) at, end, ZEROS, 0, end - (int) at) < 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * True if some probed block of the file's first {@code size} bytes is all zeros, lies (partly) beyond its
     * end (where the full pass reads zeros) or cannot be read: the probes then decide nothing.
     */
    private boolean probedZeroBlockOrFailed(SeekableByteChannel channel, long size) {
        try {
            return probedZeroBlock(channel, size);
        } catch (IOException e) {
            return true; // the full pass meets the failure and says what it is, as without probes
        }
    }

    private boolean probedZeroBlock(SeekableByteChannel channel, long size) throws IOException {
        long stride = (long) PROBE_STRIDE * SparseMap.BLOCK;
        for (long at = 0; at < size; at += stride) {
            int length = (int) Math.min(SparseMap.BLOCK, size - at);
            probe.clear().limit(length);
            channel.position(at);
            while (probe.hasRemaining()) {
                if (channel.read(probe) <= 0) {
                    return true; // the file shrank: the full pass zero-fills, as the copy will
                }
            }
            if (Arrays.mismatch(probe.array(), 0, length, ZEROS, 0, length) < 0) {
                return true;
            }
        }
        return false;
    }

    private static SparseMap usable(SparseMap map) {
        return map.hasHoles() && map.encode().length <= SparseMap.MAX_MAP ? map : null;
    }

    /** The header of a file stored sparse with {@code map}. */
    static TarEntryHeader header(TarEntryHeader plain, SparseMap map) {
        return new TarEntryHeader(
                plain.name(),
                plain.type(),
                plain.mode(),
                map.storedLength(),
                plain.mtimeSeconds(),
                plain.mtimeNanos(),
                plain.uid(),
                plain.gid(),
                plain.linkName(),
                plain.extra(),
                map.size());
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
    ExactReader.Result stream(
            TarGzStream tar,
            TarEntryHeader plain,
            SparseMap map,
            SeekableByteChannel channel,
            ExactReader.Progress progress)
            throws IOException {
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
                read = reader.stream(
                        channel,
                        r[1],
                        (b, off, len) -> {
                            sha256.update(b, off, len);
                            tar.write(b, off, len);
                        },
                        progress == null ? null : done -> progress.chunkDone(offset + done));
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
