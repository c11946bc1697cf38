package org.clusterbackup.core.archive;

import java.util.List;

/**
 * What {@link TreeArchiver#write} actually put in the archive. It can differ from the scan: files change,
 * vanish or become unreadable between the scan and the read. The digest is computed from the bytes archived,
 * so it is always true to the archive's content.
 *
 * @param files non-directory entries archived (regular files and symlinks)
 * @param digest Merkle root of the archived entries (see {@link TreeDigest}), lowercase hex
 * @param warnings the scan's warnings followed by the write's, one line each, naming the path and the reason
 * @param entries every entry of the archive as archived, in archive order: its manifest
 */
public record ArchiveSummary(int files, String digest, List<String> warnings, List<ManifestEntry> entries) {

    public ArchiveSummary {
        if (files < 0) {
            throw new IllegalArgumentException("files must be at least 0, was " + files);
        }
        TreeDigest.checkHex(digest);
        warnings = List.copyOf(warnings);
        entries = List.copyOf(entries);
    }
}
