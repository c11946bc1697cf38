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

    /**
     * Compares the tar names' UTF-8 bytes without encoding them: UTF-8's byte order is the order of code
     * points, which is the order of UTF-16 units except that units from {@code U+E000} up sort after the
     * surrogates that make code points above {@code U+FFFF}. Where the first difference is at a surrogate the
     * bytes are compared instead (names decoded from UTF-8 hold surrogates only in pairs, but a name given
     * some other way might not, and UTF-8 would then stand a {@code ?} in for it).
     */
    static int compare(IndexEntry a, IndexEntry b) {
        boolean rootA = a.path().equals(ROOT) && a.kind() == EntryKind.DIR;
        boolean rootB = b.path().equals(ROOT) && b.kind() == EntryKind.DIR;
        if (rootA || rootB) {
            return rootA == rootB ? 0 : rootA ? -1 : 1;
        }
        String pa = a.path();
        String pb = b.path();
        int la = pa.length() + (a.kind() == EntryKind.DIR ? 1 : 0);
        int lb = pb.length() + (b.kind() == EntryKind.DIR ? 1 : 0);
        int n = Math.min(la, lb);
        for (int i = 0; i < n; i++) {
            char ca = i < pa.length() ? pa.charAt(i) : '/';
            char cb = i < pb.length() ? pb.charAt(i) : '/';
            if (ca != cb) {
                if (Character.isSurrogate(ca) || Character.isSurrogate(cb)) {
                    return Arrays.compareUnsigned(
                            tarName(a).getBytes(StandardCharsets.UTF_8),
                            tarName(b).getBytes(StandardCharsets.UTF_8));
                }
                return Character.compare(ca, cb);
            }
        }
        return Integer.compare(la, lb);
    }
}
