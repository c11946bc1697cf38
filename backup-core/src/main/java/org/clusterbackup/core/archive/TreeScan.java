package org.clusterbackup.core.archive;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * What {@link TreeArchiver#scan} found: the tree's entries and its digest, with no file content held.
 *
 * <p>A scan against a delivered manifest leaves the files whose size differs from that manifest unhashed:
 * their entries carry {@link #UNHASHED}, and the digest then only tells that the tree is not the
 * delivered one (which is certain, as those entries differ). The write hashes them as it reads them. A scan
 * for a backup with nothing to compare ({@link TreeArchiver#scanWithoutBase}) leaves every file the stat cache
 * cannot vouch for unhashed, and its digest describes no tree: only the write's does. An unreadable file is
 * then found by the write, which skips it with the same warning, and {@link #files} counts it.
 *
 * @param root the scanned directory
 * @param entries the root ({@code ./}) first, then every kept entry sorted by the UTF-8 bytes of its name
 * @param digest the tree's Merkle root (see {@link TreeDigest}), lowercase hex
 * @param files how many entries are not directories (regular files and symlinks)
 * @param warnings one line per entry that was skipped, naming its path and the reason
 */
public record TreeScan(Path root, List<ManifestEntry> entries, String digest, int files, List<String> warnings) {
    /** The hash a file left unhashed by the scan carries: 32 zero bytes. */
    static final byte[] UNHASHED = new byte[32];

    public TreeScan {
        Objects.requireNonNull(root, "root");
        entries = List.copyOf(entries);
        warnings = List.copyOf(warnings);
        TreeDigest.checkHex(digest);
        if (entries.isEmpty() || !entries.get(0).isRoot()) {
            throw new IllegalArgumentException(
                    "a scan's first entry must be the root " + ManifestEntry.ROOT_NAME + " of " + root);
        }
        if (files < 0 || files >= entries.size()) {
            throw new IllegalArgumentException("files must be between 0 and " + (entries.size() - 1)
                    + " (the entries besides the root), was " + files);
        }
    }
}
