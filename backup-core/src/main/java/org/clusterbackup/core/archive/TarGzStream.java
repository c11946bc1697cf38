package org.clusterbackup.core.archive;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.attribute.FileTime;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.Executor;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * A deterministic, standard {@code .tar.gz} stream in the segmented format (see {@link SegmentRule} and
 * {@code docs/STORAGE.md}): the same entries at the same level give the same bytes.
 *
 * <ul>
 * <li>Every {@link TarArchiveEntry} is built by hand from our fields. Built from a {@code Path} it would add
 *     atime/ctime PAX records and owner names. User and group names are set empty explicitly (some Commons
 *     Compress versions fill in the JVM's {@code user.name}): owners are numeric.</li>
 * <li>Whole-second mtimes, so no PAX mtime record is needed.</li>
 * <li>ustar headers; PAX records only where ustar cannot say it: names or link targets of 100 bytes or more
 *     or not ASCII, sizes from 8 GiB, ids beyond 2097151.</li>
 * <li>Padded to whole 10 KiB records, GNU tar's default blocking.</li>
 * <li>One gzip member made of independently deflated segments, cut where {@link SegmentRule} says and
 *     compressed by a {@link SegmentWriter}, possibly on several threads.</li>
 * </ul>
 * Nothing is held beyond the segments in flight. The caller's sink is never closed: it belongs to the caller.
 */
final class TarGzStream implements AutoCloseable {
    /** GNU tar's default blocking (20 × 512): the archive ends padded to a multiple of it, as tar -czf's does. */
    static final int RECORD_SIZE = 10_240;
    /** Two zero blocks end a tar stream. */
    private static final int END_OF_ARCHIVE = 2 * SegmentRule.BLOCK;

    private final SegmentRule rule = new SegmentRule();
    private final SegmentWriter segments;
    private final TarArchiveOutputStream tar;

    /**
     * @param level deflate level, 0 to 9
     * @param executor where segments are compressed
     * @param window segments compressing or waiting to be sent at once
     * @param budget memory shared with the other writes of the archiver
     */
    TarGzStream(ArchiveSink sink, int level, Executor executor, int window, InFlightBudget budget) {
        segments = new SegmentWriter(rule, sink, level, executor, window, budget);
        tar = new TarArchiveOutputStream(segments, RECORD_SIZE, StandardCharsets.UTF_8.name());
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
        long start = segments.position();
        tar.putArchiveEntry(t);
        tar.closeArchiveEntry();
        planCuts(t, start, 0);
    }

    /** Starts a regular file; exactly {@code stat.size()} bytes must follow before {@link #endFile()}. */
    void beginFile(String name, FileStat stat) throws IOException {
        TarArchiveEntry t = header(name, TarConstants.LF_NORMAL, stat.mode(), stat.size(), stat.mtimeSeconds(),
                stat.uid(), stat.gid());
        long start = segments.position();
        tar.putArchiveEntry(t);
        planCuts(t, start, stat.size());
    }

    void write(byte[] bytes, int offset, int length) throws IOException {
        tar.write(bytes, offset, length);
    }

    void endFile() throws IOException {
        tar.closeArchiveEntry();
    }

    /** Ends the tar (two zero records, padded to a whole record) and the archive; the sink gets the tail. */
    void finish() throws IOException {
        long end = segments.position();
        long padded = (end + END_OF_ARCHIVE + RECORD_SIZE - 1) / RECORD_SIZE * RECORD_SIZE;
        rule.end(padded - end);
        takeCuts();
        tar.finish();
        if (segments.position() != padded) {
            throw new IllegalStateException("the tar ended at " + segments.position() + ", not " + padded);
        }
        segments.finish();
    }

    /** Segments sent so far (all of them once {@link #finish()} returned). */
    long segments() {
        return segments.segments();
    }

    /**
     * Abandons what is in flight. Never writes: after a failure the caller's sink may be broken, and a half
     * archive is abandoned, not completed.
     */
    @Override
    public void close() {
        segments.close();
    }

    /**
     * Tells the rule about the entry whose header the tar writer has just written (all of it: header records
     * are written whole), and plans its cuts. The header's length is measured, PAX records included.
     */
    private void planCuts(TarArchiveEntry t, long start, long dataSize) throws IOException {
        if (rule.position() != start) {
            throw new IllegalStateException("the rule is at " + rule.position() + ", the tar at " + start);
        }
        long headerLength = segments.position() - start;
        rule.entry(t.getName(), headerLength, dataSize);
        takeCuts();
    }

    private void takeCuts() throws IOException {
        segments.takeCuts();
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
}
