package org.clusterbackup.core.archive;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.attribute.FileTime;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * A deterministic, standard {@code .tar.gz} stream: the same entries give the same bytes.
 *
 * <ul>
 * <li>Every {@link TarArchiveEntry} is built by hand from our fields. Built from a {@code Path} it would add
 *     atime/ctime PAX records and owner names. User and group names are set empty explicitly (some Commons
 *     Compress versions fill in the JVM's {@code user.name}): owners are numeric.</li>
 * <li>Whole-second mtimes, so no PAX mtime record is needed.</li>
 * <li>ustar headers; PAX records only where ustar cannot say it: names or link targets of 100 bytes or more
 *     or not ASCII, sizes from 8 GiB, ids beyond 2097151.</li>
 * <li>Padded to whole 10 KiB records, GNU tar's default blocking.</li>
 * <li>gzip from {@code java.util.zip} at the chosen level; its header has mtime 0 and no file name.</li>
 * </ul>
 * Nothing is held beyond fixed buffers. The caller's stream is never closed: it belongs to the caller.
 */
final class TarGzStream implements AutoCloseable {
    private static final int BUFFER = 64 * 1024;
    /** GNU tar's default blocking (20 × 512): the archive ends padded to a multiple of it, as tar -czf's does. */
    static final int RECORD_SIZE = 10_240;

    private final LeveledGzip gzip;
    private final BufferedOutputStream buffered;
    private final TarArchiveOutputStream tar;

    TarGzStream(OutputStream out, int level) throws IOException {
        gzip = new LeveledGzip(out, level);
        // Commons Compress writes headers and padding 512 bytes at a time; batching keeps calls into zlib few and large.
        buffered = new BufferedOutputStream(gzip, BUFFER);
        tar = new TarArchiveOutputStream(buffered, RECORD_SIZE, StandardCharsets.UTF_8.name());
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        tar.setAddPaxHeadersForNonAsciiNames(true);
    }

    /** Writes a directory or symlink entry, which has no content. */
    void putEmpty(ManifestEntry e) throws IOException {
        byte flag = e.type() == EntryType.DIRECTORY ? TarConstants.LF_DIR : TarConstants.LF_SYMLINK;
        TarArchiveEntry t = header(e.name(), flag, e.mode(), 0, e.mtime(), e.uid(), e.gid());
        if (e.type() == EntryType.SYMLINK) {
            t.setLinkName(e.linkTarget());
        }
        tar.putArchiveEntry(t);
        tar.closeArchiveEntry();
    }

    /** Starts a regular file; exactly {@code stat.size()} bytes must follow before {@link #endFile()}. */
    void beginFile(String name, FileStat stat) throws IOException {
        tar.putArchiveEntry(header(name, TarConstants.LF_NORMAL, stat.mode(), stat.size(), stat.mtimeSeconds(),
                stat.uid(), stat.gid()));
    }

    void write(byte[] bytes, int offset, int length) throws IOException {
        tar.write(bytes, offset, length);
    }

    void endFile() throws IOException {
        tar.closeArchiveEntry();
    }

    /** Ends the tar (two zero records, padded to a whole record) and the gzip member; flushes the caller's stream. */
    void finish() throws IOException {
        tar.finish();
        buffered.flush();
        gzip.finish();
        gzip.flush();
    }

    /**
     * Frees the deflater. Never writes: after a failure the caller's stream may be broken, and a half archive
     * is abandoned, not completed.
     */
    @Override
    public void close() {
        gzip.release();
    }

    private static TarArchiveEntry header(String name, byte flag, int mode, long size, long mtime, long uid,
                                          long gid) {
        TarArchiveEntry t = new TarArchiveEntry(name, flag);
        t.setMode(mode);
        t.setSize(size);
        t.setLastModifiedTime(FileTime.from(mtime, TimeUnit.SECONDS));
        t.setUserId(uid);
        t.setGroupId(gid);
        t.setUserName("");
        t.setGroupName("");
        return t;
    }

    /** gzip at a chosen deflate level; {@link GZIPOutputStream} offers no constructor for it. */
    private static final class LeveledGzip extends GZIPOutputStream {
        LeveledGzip(OutputStream out, int level) throws IOException {
            super(out, BUFFER);
            def.setLevel(level);
        }

        void release() {
            def.end();
        }
    }
}
