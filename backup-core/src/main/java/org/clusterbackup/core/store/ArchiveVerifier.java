package org.clusterbackup.core.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.GZIPInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.clusterbackup.core.catalog.Archive;

/**
 * Re-reads a stored archive and says what is wrong with it, if anything: a missing file, a size or sha256
 * that differs from the catalog, or a gzip or tar stream that does not parse to its end. One pass over the
 * file: the bytes are hashed as the gzip and tar parsers consume them.
 */
public final class ArchiveVerifier {
    private final ArchiveStore store;

    public ArchiveVerifier(ArchiveStore store) {
        this.store = store;
    }

    /** @return one line naming the damage, or null when the archive is sound */
    public String problem(Archive archive) {
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
