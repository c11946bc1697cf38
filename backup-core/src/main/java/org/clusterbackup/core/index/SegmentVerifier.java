package org.clusterbackup.core.index;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the first damaged segment of a stored archive through its index, and names the files it holds, so
 * {@code verify} can say which part of an archive is lost instead of only that it is.
 */
public final class SegmentVerifier {
    /** At most this many names are listed for one segment; the rest are counted. */
    static final int NAMES = 5;

    private SegmentVerifier() {}

    /** @return one line naming the first bad segment and what it holds, or null if every segment is sound */
    public static String firstDamage(IndexFile index, FileChannel archive) throws IOException {
        SegmentReader reader = new SegmentReader(archive);
        ArchiveFormatException[] damage = new ArchiveFormatException[1];
        IndexSegment[] bad = new IndexSegment[1];
        index.read(new IndexFile.Visitor() {
            @Override
            public boolean segment(IndexSegment s) throws IOException {
                try {
                    reader.inflate(s, (b, off, len) -> {});
                    return true;
                } catch (ArchiveFormatException e) {
                    damage[0] = e;
                    bad[0] = s;
                    return false;
                }
            }
        });
        if (bad[0] == null) {
            return null;
        }
        return damage[0].getMessage() + "; segment " + bad[0].number() + " holds tar bytes " + bad[0].tarOffset() + "-"
                + bad[0].tarEnd() + ": " + holding(index, bad[0]);
    }

    /** The entries whose headers or content lie in the segment. */
    static String holding(IndexFile index, IndexSegment segment) throws IOException {
        List<String> names = new ArrayList<>();
        long[] count = {0};
        index.read(new IndexFile.Visitor() {
            @Override
            public boolean entry(IndexEntry e) {
                if (segment.overlaps(e.headerOffset(), Math.max(e.dataEnd(), e.dataOffset()))) {
                    if (names.size() < NAMES) {
                        names.add(e.path());
                    }
                    count[0]++;
                }
                return true;
            }
        });
        if (count[0] == 0) {
            return "no entry (only the end of the tar stream)";
        }
        String listed = String.join(", ", names);
        return count[0] > names.size() ? listed + " and " + (count[0] - names.size()) + " more" : listed;
    }
}
