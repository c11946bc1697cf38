package org.clusterbackup.core.archive;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * The agent's side of a backup: {@link #scan} a tree to learn its digest (cheaply, with the {@link StatCache}),
 * and if the server does not already have that digest, {@link #write} the tree as a deterministic
 * {@code .tar.gz}, streamed.
 *
 * <p>What is kept: regular files, directories (empty ones too, and the root itself as {@code ./} so its mode
 * is restored), symlinks as links, never followed. Fifos, sockets and devices are skipped with a warning, as
 * is anything that cannot be read or vanishes; a scan or write fails only when the root itself cannot be
 * read or the output stream fails. Names are relative to the root, sorted by their UTF-8 bytes.
 *
 * <p>Files are read by the hot-file protocol (see {@link FileCopier}): the archive is always valid, and what
 * {@link #write} reports (digest, files, warnings) describes the bytes it actually archived, which can differ
 * from the scan when the tree changes in between. Both steps update the stat cache, only with files that did
 * not move while being read and whose timestamps are old enough to trust, and save it.
 *
 * <p>Thread-safe if the options' opener, clock and hooks are: each call uses its own buffers. Two calls must
 * not share one {@link StatCache}.
 */
public final class TreeArchiver {
    private static final System.Logger LOG = System.getLogger(TreeArchiver.class.getName());

    private final ArchiveOptions options;

    public TreeArchiver(ArchiveOptions options) {
        this.options = Objects.requireNonNull(options, "options");
    }

    /**
     * Scans {@code root} (an existing directory; the caller already checked that it may be backed up),
     * hashing only the files whose stat {@code cache} cannot vouch for.
     *
     * @throws IOException if the root itself cannot be stat-ed or listed, or is not a directory
     */
    public TreeScan scan(Path root, StatCache cache) throws IOException {
        return scan(root, cache, ScanListener.NONE);
    }

    /** Scans as {@link #scan(Path, StatCache)} does, telling {@code listener} how far it got as it goes. */
    public TreeScan scan(Path root, StatCache cache, ScanListener listener) throws IOException {
        Objects.requireNonNull(root, "root");
        Objects.requireNonNull(cache, "cache");
        return new TreeScanner(options, Objects.requireNonNull(listener, "listener")).scan(root, cache);
    }

    /**
     * Writes the scanned tree to {@code out} as a deterministic {@code .tar.gz}, reading each file anew. The
     * archive is streamed through fixed buffers: never whole in memory, no temp file. {@code out} is flushed,
     * not closed.
     *
     * @return what was actually archived
     * @throws IOException only if {@code out} fails; the archive is then incomplete and must be discarded
     */
    public ArchiveSummary write(TreeScan scan, StatCache cache, OutputStream out) throws IOException {
        Objects.requireNonNull(scan, "scan");
        Objects.requireNonNull(cache, "cache");
        Objects.requireNonNull(out, "out");
        Instant start = options.clock().instant();
        long began = System.nanoTime();
        Warnings warnings = new Warnings();
        FileCopier copier = new FileCopier(options, cache, start, warnings);
        TreeDigest digest = new TreeDigest();
        int files = 0;
        try (TarGzStream tar = new TarGzStream(out, options.gzipLevel())) {
            for (ManifestEntry entry : scan.entries()) {
                ManifestEntry archived = entry;
                if (entry.type() == EntryType.FILE) {
                    archived = copier.copy(scan.root(), entry, tar);
                    if (archived == null) {
                        continue;
                    }
                } else {
                    tar.putEmpty(entry);
                }
                if (archived.type() != EntryType.DIRECTORY) {
                    files++;
                }
                digest.add(archived);
            }
            tar.finish();
        }
        cache.saveQuietly();
        List<String> allWarnings = new ArrayList<>(scan.warnings());
        allWarnings.addAll(warnings.lines());
        ArchiveSummary summary = new ArchiveSummary(files, digest.finish(), allWarnings);
        LOG.log(Level.DEBUG, "write {0}: {1} files, {2} new warnings, {3} ms", scan.root(), files,
                warnings.lines().size(), Duration.ofNanos(System.nanoTime() - began).toMillis());
        return summary;
    }
}
