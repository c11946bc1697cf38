package org.clusterbackup.core.index;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The order of entries in every archive the agent writes: the root ({@code ./}) first, then by the UTF-8
 * bytes of the names as the tar has them (directories with their trailing {@code /}).
 */
final class ArchiveOrder {
    private static final String ROOT = ".";

    private ArchiveOrder() {}

    /** The name the entry has in the tar: the index drops a directory's trailing slash. */
    static String tarName(IndexEntry e) {
        return e.kind() == EntryKind.DIR ? e.path() + "/" : e.path();
    }

    static int compare(IndexEntry a, IndexEntry b) {
        boolean rootA = a.path().equals(ROOT) && a.kind() == EntryKind.DIR;
        boolean rootB = b.path().equals(ROOT) && b.kind() == EntryKind.DIR;
        if (rootA || rootB) {
            return rootA == rootB ? 0 : rootA ? -1 : 1;
        }
        return Arrays.compareUnsigned(
                tarName(a).getBytes(StandardCharsets.UTF_8), tarName(b).getBytes(StandardCharsets.UTF_8));
    }
}
