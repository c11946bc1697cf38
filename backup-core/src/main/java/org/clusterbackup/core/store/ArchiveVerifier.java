package org.clusterbackup.core.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.clusterbackup.core.catalog.Archive;
import org.clusterbackup.core.index.IndexFile;
import org.clusterbackup.core.index.SegmentVerifier;
import org.clusterbackup.core.index.UnusableIndexException;

/**
 * Re-reads a stored archive and says what is wrong with it, if anything: a missing file, a size or sha256
 * that differs from the catalog, or a gzip or tar stream that does not parse to its end. One pass over the
 * file: the bytes are hashed as the gzip and tar parsers consume them. An archive stored with an index
 * also needs that index, sound and its own; and when such an archive is damaged, its segments are
 * inflated one by one to name the first bad one and the files it holds.
 */
public final class ArchiveVerifier {
    private final ArchiveStore store;

    public ArchiveVerifier(ArchiveStore store) {
        this.store = store;
    }

    /** @return one line naming the damage, or null when the archive is sound */
    public String problem(Archive archive) {
        String problem = contentProblem(archive);
        if (!archive.indexed()) {
            return problem; // stored before archives were indexed: checked as a whole, as it always was
        }
        try (IndexFile index = IndexFile.open(store.resolve(archive.indexFileName()), archive.indexSha256())) {
            if (problem == null) {
                return null;
            }
            String segment = firstBadSegment(index, store.resolve(archive.fileName()));
            return segment == null ? problem : problem + "; " + segment;
        } catch (UnusableIndexException e) {
            return problem == null ? "the archive is sound but " + e.getMessage() : problem + "; and " + e.getMessage();
        }
    }

    private static String firstBadSegment(IndexFile index, Path file) {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            return SegmentVerifier.firstDamage(index, channel);
        } catch (IOException e) {
            return null; // the file is missing or unreadable: the problem already says so
        }
    }

    private String contentProblem(Archive archive) {
        Path file = store.resolve(archive.fileName());
        long size;
        try {
            size = Files.size(file);
        } catch (NoSuchFileException e) {
            return "file is missing: " + file;
        } catch (IOException e) {
            return "file cannot be read: " + file + ": " + e.getMessage();
        }
        MessageDigest sha256 = sha256();
        String parseProblem = null;
        try (InputStream raw = Files.newInputStream(file);
                DigestInputStream hashed = new DigestInputStream(raw, sha256)) {
            try {
                parse(hashed);
            } catch (IOException | RuntimeException e) {
                parseProblem = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            }
            hashed.transferTo(java.io.OutputStream.nullOutputStream()); // hash whatever the parser left unread
        } catch (IOException e) {
            return "file cannot be read: " + file + ": " + e.getMessage();
        }
        String actual = HexFormat.of().formatHex(sha256.digest());
        if (size != archive.sizeBytes()) {
            return "size is " + size + " bytes, the catalog says " + archive.sizeBytes()
                    + (size < archive.sizeBytes() ? " (truncated)" : "");
        }
        if (!actual.equals(archive.sha256())) {
            return "sha256 is " + actual + ", the catalog says " + archive.sha256() + " (content damaged"
                    + (parseProblem == null ? ")" : "; " + parseProblem + ")");
        }
        if (parseProblem != null) {
            return "not a readable tar.gz: " + parseProblem;
        }
        return null;
    }

    /** Reads every entry and the gzip trailer: only a whole, well-formed stream gets through. */
    private static void parse(InputStream in) throws IOException {
        GZIPInputStream gzip = new GZIPInputStream(in, 64 * 1024);
        TarArchiveInputStream tar = new TarArchiveInputStream(gzip);
        byte[] buffer = new byte[64 * 1024];
        while (tar.getNextEntry() != null) {
            while (tar.read(buffer) >= 0) {
                // drained; the tar stream stops at the entry's end
            }
        }
        while (gzip.read(buffer) >= 0) {
            // the padding to the record size and the gzip trailer with its CRC
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
