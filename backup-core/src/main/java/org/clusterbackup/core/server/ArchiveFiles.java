package org.clusterbackup.core.server;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.clusterbackup.core.catalog.Archive;
import org.clusterbackup.core.index.ArchiveFormatException;
import org.clusterbackup.core.index.EntryKind;
import org.clusterbackup.core.index.FileExtractor;
import org.clusterbackup.core.index.IndexEntry;
import org.clusterbackup.core.index.IndexFile;
import org.clusterbackup.core.index.SegmentReader;
import org.clusterbackup.core.index.UnusableIndexException;
import org.clusterbackup.core.model.ErrorCode;
import org.clusterbackup.core.model.InvalidInputException;
import org.clusterbackup.core.model.RefusedException;
import org.clusterbackup.core.net.Connection;
import org.clusterbackup.core.protocol.ArchiveBegin;
import org.clusterbackup.core.protocol.ArchiveEnd;
import org.clusterbackup.core.protocol.Data;
import org.clusterbackup.core.protocol.ErrorReply;
import org.clusterbackup.core.protocol.FileInfo;
import org.clusterbackup.core.protocol.FilePage;
import org.clusterbackup.core.protocol.ProtocolLimits;
import org.clusterbackup.core.store.ArchiveStore;

/**
 * The control plane's view into one archive through its index: the list of its entries, and one file's
 * content. An archive without a usable index is refused ({@code NOT_FOUND}, saying why), never read by guess.
 */
final class ArchiveFiles {
    private static final System.Logger LOG = System.getLogger(ArchiveFiles.class.getName());

    private final Connection connection;
    private final ArchiveStore store;

    ArchiveFiles(Connection connection, ArchiveStore store) {
        this.connection = connection;
        this.store = store;
    }

    /** Sends the entries in archive order, in pages, as the index is read: memory is one page. */
    void list(Archive archive) throws IOException {
        try (IndexFile index = open(archive)) {
            List<FileInfo> page = new ArrayList<>();
            index.read(new IndexFile.Visitor() {
                @Override
                public boolean entry(IndexEntry e) throws IOException {
                    page.add(info(e));
                    if (page.size() == ControlHandler.PAGE_SIZE) {
                        connection.send(new FilePage(page, false));
                        page.clear();
                    }
                    return true;
                }
            });
            connection.send(new FilePage(page, true));
        }
    }

    /**
     * Sends one regular file's content. Bytes go out as segments inflate; if the stored archive proves
     * damaged on the way, an {@code INTEGRITY} error replaces the end, so the client keeps nothing.
     */
    void fetch(Archive archive, String path) throws IOException {
        if (path == null || path.isEmpty()) {
            throw new InvalidInputException("no path given: name a regular file of archive " + archive.id());
        }
        try (IndexFile index = open(archive)) {
            FileExtractor.Located located = FileExtractor.locate(index, path);
            if (located != null && located.entry().kind() == EntryKind.HARDLINK) {
                // Another name of an earlier file: its content is that file's.
                located = FileExtractor.locate(index, located.entry().linkTarget());
            }
            IndexEntry entry = located == null ? null : located.entry();
            if (entry == null || entry.kind() != EntryKind.FILE) {
                throw new RefusedException(
                        ErrorCode.NOT_FOUND,
                        "archive " + archive.id() + " has no regular file " + path
                                + (entry == null
                                        ? ""
                                        : " (it is a " + entry.kind().label() + ")"));
            }
            FileChannel channel;
            try {
                channel = store.openForReading(archive.fileName());
            } catch (NoSuchFileException e) {
                connection.send(new ErrorReply(
                        ErrorCode.INTEGRITY,
                        "archive " + archive.id() + " is missing its file " + store.resolve(archive.fileName())));
                return;
            }
            try (channel) {
                connection.send(new ArchiveBegin(1));
                Chunker chunks = new Chunker();
                FileExtractor.extract(new SegmentReader(channel), located, chunks::add);
                chunks.flush();
            } catch (java.io.UncheckedIOException e) {
                throw e.getCause(); // the client went away while the file streamed
            } catch (ArchiveFormatException e) {
                LOG.log(
                        Level.WARNING,
                        "[target {0}] archive {1} is damaged: {2}",
                        archive.targetId(),
                        archive.id(),
                        e.getMessage());
                connection.send(new ErrorReply(
                        ErrorCode.INTEGRITY, "archive " + archive.id() + " is damaged: " + e.getMessage()));
                return;
            }
            // The index's size and sha256: the client checks what it received against them once more.
            connection.send(new ArchiveEnd(entry.size(), entry.sha256(), archive.digest(), 1, List.of()));
        }
    }

    /** The archive's index, opened and checked; {@code NOT_FOUND} saying why if it has no usable one. */
    IndexFile open(Archive archive) {
        if (!archive.indexed()) {
            throw new RefusedException(
                    ErrorCode.NOT_FOUND,
                    "archive " + archive.id() + " has no index: it was "
                            + "stored before archives were indexed (fetch and restore it whole)");
        }
        try {
            return store.indexes().open(store.resolve(archive.indexFileName()), archive.indexSha256());
        } catch (UnusableIndexException e) {
            throw new RefusedException(
                    ErrorCode.NOT_FOUND,
                    "archive " + archive.id() + " has no usable index: " + e.getMessage()
                            + " (verify reports it; fetch and restore the archive whole)");
        }
    }

    static FileInfo info(IndexEntry e) {
        if (e.kind() == EntryKind.HARDLINK) {
            // The contract's types are file, dir and symlink: a hard link is a file that names where its content is.
            return new FileInfo(
                    e.path(),
                    EntryKind.FILE.label(),
                    0,
                    e.mode(),
                    Instant.ofEpochSecond(e.mtimeSeconds(), e.mtimeNanos()),
                    null,
                    null,
                    e.linkTarget());
        }
        return new FileInfo(
                e.path(),
                e.kind().label(),
                e.size(),
                e.mode(),
                Instant.ofEpochSecond(e.mtimeSeconds(), e.mtimeNanos()),
                e.sha256(),
                e.linkTarget(),
                null);
    }

    /** Gathers inflated pieces into Data frames of the usual size. */
    private final class Chunker {
        private final byte[] buffer = new byte[ProtocolLimits.DATA_CHUNK];
        private int fill;

        void add(byte[] b, int off, int len) throws IOException {
            while (len > 0) {
                int n = Math.min(len, buffer.length - fill);
                System.arraycopy(b, off, buffer, fill, n);
                fill += n;
                off += n;
                len -= n;
                if (fill == buffer.length) {
                    flush();
                }
            }
        }

        void flush() throws IOException {
            if (fill > 0) {
                connection.send(new Data(Arrays.copyOf(buffer, fill)));
                fill = 0;
            }
        }
    }
}
