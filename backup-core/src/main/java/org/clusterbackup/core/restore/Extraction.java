package org.clusterbackup.core.restore;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.clusterbackup.core.fs.IoReasons;

/**
 * One pass over a {@code .tar.gz} stream: each entry is checked and written into the staging tree as it
 * arrives, through one 64 KiB buffer, so memory does not grow with the archive. The stream is read to its
 * end, so the gzip trailer's CRC and length are checked and a stream cut off anywhere fails.
 *
 * <p>Failures of the stream (ended early, corrupt, or its read failed) are {@link BrokenArchiveException}s;
 * failures to write an entry are {@link IOException}s naming it; entries that may not be written are
 * {@link UnsafeArchiveException}s. Not thread-safe: one per restore.
 */
final class Extraction {
    static final int BUFFER = 64 * 1024;
    private static final String XATTR = "SCHILY.xattr.";

    private final StagingTree staging;
    private final ExtractHooks hooks;
    private final WriteBudget budget;
    private final byte[] buffer = new byte[BUFFER];
    private CountingStream source;
    /** Where in the stream we are, for messages. */
    private String position = "before the first entry";
    /** The entry being read, as a refusal names it. */
    private String current = "(before the first entry)";

    private int files;
    private long bytes;

    Extraction(StagingTree staging, ExtractHooks hooks, WriteBudget budget) {
        this.staging = staging;
        this.hooks = hooks;
        this.budget = budget;
    }

    /** Reads {@code tgz} to its end (without closing it) into the staging tree. */
    void run(InputStream tgz) throws IOException, UnsafeArchiveException {
        source = new CountingStream(tgz);
        GZIPInputStream gzip = openGzip();
        TarAudit audit = new TarAudit(gzip);
        try (gzip;
                TarArchiveInputStream tar = new TarArchiveInputStream(audit, StandardCharsets.UTF_8.name())) {
            for (TarArchiveEntry entry = next(tar); entry != null; entry = next(tar)) {
                restore(entry, tar);
            }
            position = "after the end of the tar";
            current = "(after the last entry)";
            // Up to the gzip trailer, which is where the CRC and length of everything are checked; through
            // the audit, which accepts nothing but zeros after the end-of-archive blocks.
            while (read(audit) >= 0) {
                // tar padding beyond what the tar reader consumed
            }
        }
        // The stream is the archive: whatever follows the gzip member is read too, so the caller's end of
        // stream is reached, not left pending.
        while (read(source) >= 0) {
            // discarded
        }
    }

    int files() {
        return files;
    }

    long bytes() {
        return bytes;
    }

    private void restore(TarArchiveEntry entry, TarArchiveInputStream tar) throws IOException, UnsafeArchiveException {
        String name = entry.getName();
        position = "in entry '" + name + "'";
        current = name;
        EntryPath path = EntryPath.parse(name);
        budget.entry(name);
        StagingTree.Attributes attributes = new StagingTree.Attributes(
                entry.getMode() & 07777,
                entry.getLastModifiedTime(),
                entry.getLongUserId(),
                entry.getLongGroupId(),
                xattrs(entry));
        Path written;
        try {
            // Types by their tar flag first: Commons Compress calls anything not a directory a "file".
            if (entry.isCharacterDevice()) {
                throw new UnsafeArchiveException(
                        name, "it is a character device; devices and fifos are never restored");
            } else if (entry.isBlockDevice()) {
                throw new UnsafeArchiveException(name, "it is a block device; devices and fifos are never restored");
            } else if (entry.isFIFO()) {
                throw new UnsafeArchiveException(name, "it is a fifo; devices and fifos are never restored");
            } else if (entry.isSymbolicLink()) {
                notRoot(path, "a symlink");
                path.checkSymlinkTarget(entry.getLinkName());
                written = staging.symlink(path, entry.getLinkName(), attributes);
                files++;
            } else if (entry.isLink()) {
                notRoot(path, "a hard link");
                written = staging.hardLink(path, entry.getLinkName());
                files++;
            } else if (entry.isDirectory()) {
                written = staging.directory(path, attributes);
            } else if (isRegularFile(entry)) {
                notRoot(path, "a file");
                copy(entry, tar, path);
                written = staging.placed(path);
                staging.fileWritten(written, attributes, path);
                files++;
            } else {
                throw new UnsafeArchiveException(
                        name, "its tar type '" + (char) entry.getLinkFlag() + "' is not one a restore writes");
            }
            hooks.afterEntry(name, staging.shown(written));
        } catch (BrokenArchiveException | RestoreLimitException e) {
            throw e;
        } catch (IOException e) {
            throw new IOException("cannot write entry '" + name + "': " + IoReasons.reason(e), e);
        }
        position = "after entry '" + name + "'";
    }

    /**
     * Writes the entry's content. Runs of zeros are left as holes (a sparse file stays sparse, and holes do not
     * count against the byte limit); the file is fsync'ed before it is closed.
     */
    private void copy(TarArchiveEntry entry, TarArchiveInputStream tar, EntryPath path)
            throws IOException, UnsafeArchiveException {
        long expected = entry.getRealSize();
        long written = 0;
        try (FileChannel out = staging.newFile(path)) {
            for (int n; (n = read(tar)) >= 0; ) {
                if (!zeros(buffer, n)) {
                    budget.bytes(n, path.name());
                    writeAt(out, ByteBuffer.wrap(buffer, 0, n), written);
                }
                written += n;
            }
            if (out.size() < written) {
                // It ends in a hole: one byte at the end gives the file its length.
                budget.bytes(1, path.name());
                writeAt(out, ByteBuffer.wrap(new byte[1]), written - 1);
            }
            staging.sync(out);
        }
        if (written != expected) {
            throw new BrokenArchiveException(
                    position, source.count, "its data ended after " + written + " of " + expected + " bytes", null);
        }
        bytes += written;
    }

    private static void writeAt(FileChannel out, ByteBuffer bytes, long position) throws IOException {
        for (long at = position; bytes.hasRemaining(); ) {
            at += out.write(bytes, at);
        }
    }

    private static boolean zeros(byte[] bytes, int length) {
        for (int i = 0; i < length; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return true;
    }

    /** The entry's {@code SCHILY.xattr.*} records (GNU tar's and bsdtar's name for extended attributes). */
    private static Map<String, String> xattrs(TarArchiveEntry entry) {
        Map<String, String> xattrs = new TreeMap<>();
        entry.getExtraPaxHeaders().forEach((key, value) -> {
            if (key.startsWith(XATTR) && key.length() > XATTR.length()) {
                xattrs.put(key.substring(XATTR.length()), value);
            }
        });
        return xattrs;
    }

    private static boolean isRegularFile(TarArchiveEntry entry) {
        byte flag = entry.getLinkFlag();
        return flag == TarConstants.LF_NORMAL
                || flag == TarConstants.LF_OLDNORM
                || flag == TarConstants.LF_CONTIG
                || flag == TarConstants.LF_GNUTYPE_SPARSE;
    }

    private static void notRoot(EntryPath path, String what) throws UnsafeArchiveException {
        if (path.isRoot()) {
            throw new UnsafeArchiveException(path.name(), "it names the target directory itself, but is " + what);
        }
    }

    private GZIPInputStream openGzip() throws BrokenArchiveException {
        try {
            return new GZIPInputStream(source, BUFFER);
        } catch (IOException e) {
            throw broken(e);
        }
    }

    private TarArchiveEntry next(TarArchiveInputStream tar) throws BrokenArchiveException, UnsafeArchiveException {
        try {
            return tar.getNextEntry();
        } catch (IOException | IllegalArgumentException e) {
            // Commons Compress reports some malformed header fields as IllegalArgumentException.
            throw refusedOrBroken(e);
        }
    }

    private int read(InputStream in) throws BrokenArchiveException, UnsafeArchiveException {
        try {
            return in.read(buffer);
        } catch (IOException | IllegalArgumentException e) {
            throw refusedOrBroken(e);
        }
    }

    /** The audit's refusal (maybe wrapped by Commons Compress) as a refusal; anything else as a broken stream. */
    private BrokenArchiveException refusedOrBroken(Exception e) throws UnsafeArchiveException {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof TarAudit.Conflict) {
                throw new UnsafeArchiveException(current, t.getMessage());
            }
        }
        return broken(e);
    }

    private BrokenArchiveException broken(Exception e) {
        String reason = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        return new BrokenArchiveException(position, source.count, reason, e);
    }

    /** Counts what is read from the caller's stream, and never closes it: it belongs to the caller. */
    private static final class CountingStream extends FilterInputStream {
        long count;

        CountingStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = in.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }

        @Override
        public long skip(long n) throws IOException {
            long skipped = in.skip(n);
            count += skipped;
            return skipped;
        }

        @Override
        public boolean markSupported() {
            return false;
        }

        @Override
        public void close() {}
    }
}
