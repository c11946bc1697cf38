package org.clusterbackup.core.index;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * Base segments the block rebuild inflated, kept as plain tar in a temp file so that the synthesis after it
 * reads them instead of inflating them a second time. A changed file's base version lies in a segment the
 * rebuild inflates for its copies, and the synthesis inflates the same segment again for the file's
 * neighbours, which go into the new segment deflated anew; reading 200 KiB back from the page cache costs a
 * fraction of inflating it. Only the segments the rebuild asks to keep are written (those that hold the
 * start or the end of a rebuilt file's base entry: the middle of a long file is copied compressed, never
 * inflated by the synthesis), up to {@code maxBytes} in all; past that a segment is simply inflated again.
 *
 * <p>A kept segment is checked against its index record (CRC-32) when it is read back, as an inflated one
 * is: one damaged in between is inflated from the base instead, so the temp file never puts wrong bytes into
 * an archive, and a failure to write or read it costs only the inflation it would have saved. Closing deletes
 * the file; a crash leaves it beside the run's other temp files (its name holds {@code .partial}), swept at
 * start-up.
 */
public final class InflatedSegments implements AutoCloseable {
    private final Path path;
    private final FileChannel file;
    private final long maxBytes;
    private final Map<Long, Long> offsets = new HashMap<>();
    private long size;
    private int reads;
    private boolean failed;

    private InflatedSegments(Path path, FileChannel file, long maxBytes) {
        this.path = path;
        this.file = file;
        this.maxBytes = maxBytes;
    }

    /** A new, empty store in {@code path} (created or truncated), holding at most {@code maxBytes} of tar. */
    public static InflatedSegments create(Path path, long maxBytes) throws IOException {
        FileChannel file = FileChannel.open(
                path,
                StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING,
                StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        return new InflatedSegments(path, file, maxBytes);
    }

    /** Segments kept. */
    public int count() {
        return offsets.size();
    }

    /** Segments read back (and found sound): inflations saved. */
    public int reads() {
        return reads;
    }

    /**
     * Keeps {@code tar}, the checked inflated bytes of {@code segment}, unless it is kept or there is no room.
     * A write that fails (a full disk) only stops the keeping: the synthesis inflates what is not kept.
     */
    void put(IndexSegment segment, byte[] tar) {
        if (failed || offsets.containsKey(segment.number()) || size + tar.length > maxBytes) {
            return;
        }
        try {
            ByteBuffer b = ByteBuffer.wrap(tar);
            while (b.hasRemaining()) {
                file.write(b, size + b.position());
            }
        } catch (IOException e) {
            failed = true;
            return;
        }
        offsets.put(segment.number(), size);
        size += tar.length;
    }

    /**
     * The tar bytes of {@code segment} if kept and still sound (their length and CRC-32 those of its index
     * record); else null, and the caller inflates the segment from the base as if it had not been kept.
     */
    byte[] get(IndexSegment segment) {
        Long at = offsets.get(segment.number());
        if (at == null) {
            return null;
        }
        byte[] tar = new byte[(int) segment.tarLength()];
        ByteBuffer b = ByteBuffer.wrap(tar);
        try {
            while (b.hasRemaining()) {
                if (file.read(b, at + b.position()) < 0) {
                    return null;
                }
            }
        } catch (IOException e) {
            return null;
        }
        CRC32 crc = new CRC32();
        crc.update(tar);
        if (crc.getValue() != segment.crc32()) {
            return null;
        }
        reads++;
        return tar;
    }

    @Override
    public void close() throws IOException {
        try {
            file.close();
        } finally {
            Files.deleteIfExists(path);
        }
    }
}
