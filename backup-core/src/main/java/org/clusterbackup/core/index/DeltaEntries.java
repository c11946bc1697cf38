package org.clusterbackup.core.index;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The entries of a delta: a plain tar stream (end blocks included) of the entries that are new or changed,
 * in archive order, each exactly as the agent's writer puts it in an archive. Parsed and checked as the
 * receiver parses an archive, the content of every file hashed; offsets are in the delta file.
 */
final class DeltaEntries {
    private DeltaEntries() {}

    /** The entries of {@code deltaTar}, in order; refused unless strictly in archive order. */
    static List<IndexEntry> read(Path deltaTar) throws IOException, ArchiveFormatException {
        List<IndexEntry> entries = new ArrayList<>();
        TarIndexer tar = new TarIndexer(e -> {
            if (!entries.isEmpty() && ArchiveOrder.compare(entries.get(entries.size() - 1), e) >= 0) {
                throw new ArchiveFormatException("the delta's entries are not in archive order: "
                        + entries.get(entries.size() - 1).path() + " before " + e.path());
            }
            entries.add(e);
        });
        try (InputStream in = Files.newInputStream(deltaTar)) {
            byte[] buffer = new byte[64 * 1024];
            int n;
            while ((n = in.read(buffer)) > 0) {
                tar.accept(buffer, 0, n);
            }
        }
        tar.finish();
        return entries;
    }
}
