package org.clusterbackup.core.index;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.clusterbackup.core.archive.SegmentDeflater;
import org.clusterbackup.core.archive.SegmentRule;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Not a test: the harness behind the segment-size trade-off of docs/PERFORMANCE.md ("Segment sizes"). Surefire
 * never runs it by itself; run it by name on a tree:
 * {@code ./mvnw -o -q -pl backup-test-kit,backup-core test -Dtest=SegmentSizeProbe -Dprobe.tree=DIR
 * [-Dprobe.sizes=128:64:2048:1024,...]} (each candidate: minimum, spacing, maximum and long-file piece in KiB).
 * It stores one full archive of the tree, inflates its tar, and for each candidate rule lays the tar's
 * entries out as that rule would, deflates every segment as the agent does (level 6, two threads) and
 * reports the archive's size, its segments, the deflate CPU, and the tar bytes in the segments holding the
 * files that the bench's 1% and 10% runs change (every 100th or 10th file in path order): what a synthesis
 * would deflate again for that change. The cuts after a changed file stay where they were (the rule is local),
 * so those bytes are what a synthesis deflates, give or take the few bytes the change adds.
 */
class SegmentSizeProbe {
    private static final int LEVEL = 6;
    private static final long KIB = 1024;

    @TempDir
    Path tmp;

    @Test
    @Timeout(value = 60, unit = TimeUnit.MINUTES)
    void measure() throws Exception {
        String source = System.getProperty("probe.tree");
        Assumptions.assumeTrue(source != null, "run by name with -Dprobe.tree=DIR");
        Path root = Path.of(source);
        StoredArchives.Stored base = StoredArchives.full(root, tmp, "base", LEVEL);
        byte[] tar = base.tar();
        List<IndexEntry> entries = base.entries();
        Set<String> onePercent = changed(root, 100);
        Set<String> tenPercent = changed(root, 10);
        System.out.printf(
                "PROBE tree %s: %d entries, tar %d bytes, stored archive %d bytes (%d segments)%n",
                root,
                entries.size(),
                tar.length,
                Files.size(base.archive()),
                base.segments().size());
        String sizes = System.getProperty("probe.sizes", "128:64:2048:1024,64:32:2048:1024,32:32:2048:1024");
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (String candidate : sizes.split(",")) {
                String[] kib = candidate.split(":");
                SegmentRule.Sizes s = new SegmentRule.Sizes(
                        Long.parseLong(kib[0]) * KIB,
                        Long.parseLong(kib[1]) * KIB,
                        Long.parseLong(kib[2]) * KIB,
                        Long.parseLong(kib[3]) * KIB);
                report(candidate, tar, cuts(entries, tar.length, s), entries, onePercent, tenPercent, pool);
            }
        } finally {
            pool.shutdown();
        }
    }

    private static void report(
            String candidate,
            byte[] tar,
            List<Long> cuts,
            List<IndexEntry> entries,
            Set<String> onePercent,
            Set<String> tenPercent,
            ExecutorService pool)
            throws Exception {
        long c0 = ProcCpu.process();
        List<Future<Long>> deflated = new ArrayList<>();
        long start = 0;
        for (long cut : cuts) {
            int from = (int) start;
            int length = (int) (cut - start);
            deflated.add(pool.submit(
                    () -> SegmentDeflater.deflate(tar, from, length, LEVEL).gzLength()));
            start = cut;
        }
        long gz = GzipLayout.HEADER_LENGTH + GzipLayout.TAIL_LENGTH;
        for (Future<Long> f : deflated) {
            gz += f.get();
        }
        long cpu = ProcCpu.process() - c0;
        long one = touched(cuts, entries, onePercent);
        long ten = touched(cuts, entries, tenPercent);
        double nsPerByte = (double) cpu / tar.length;
        System.out.printf(
                "PROBE sizes %s KiB: %d segments (mean %d KiB), archive %d bytes, deflate CPU %d ms;"
                        + " 1%%: %d KiB in touched segments (%.1f%% of the tar, ~%d ms to deflate);"
                        + " 10%%: %d KiB (%.1f%%, ~%d ms)%n",
                candidate,
                cuts.size(),
                tar.length / cuts.size() / KIB,
                gz,
                cpu / 1_000_000,
                one / KIB,
                100.0 * one / tar.length,
                (long) (one * nsPerByte / 1_000_000),
                ten / KIB,
                100.0 * ten / tar.length,
                (long) (ten * nsPerByte / 1_000_000));
    }

    /** The tar offsets at which segments end under {@code sizes}, from the entries' names and lengths. */
    private static List<Long> cuts(List<IndexEntry> entries, long tarLength, SegmentRule.Sizes sizes) {
        SegmentRule rule = new SegmentRule(sizes);
        List<Long> cuts = new ArrayList<>();
        for (IndexEntry e : entries) {
            rule.entry(ArchiveOrder.tarName(e), e.dataOffset() - e.headerOffset(), e.dataLength());
            for (long c = rule.nextCut(); c >= 0; c = rule.nextCut()) {
                cuts.add(c);
            }
        }
        rule.end(tarLength - rule.position());
        for (long c = rule.nextCut(); c >= 0; c = rule.nextCut()) {
            cuts.add(c);
        }
        return cuts;
    }

    /** Tar bytes in the segments that hold some byte of a changed file. */
    private static long touched(List<Long> cuts, List<IndexEntry> entries, Set<String> changed) {
        Set<Integer> hit = new HashSet<>();
        for (IndexEntry e : entries) {
            if (changed.contains(e.path())) {
                long end = e.dataOffset() + SegmentRule.padded(e.dataLength());
                for (int i = segmentOf(cuts, e.headerOffset()); i < cuts.size(); i++) {
                    hit.add(i);
                    if (cuts.get(i) >= end) {
                        break;
                    }
                }
            }
        }
        long bytes = 0;
        for (int i : hit) {
            bytes += cuts.get(i) - (i == 0 ? 0 : cuts.get(i - 1));
        }
        return bytes;
    }

    private static int segmentOf(List<Long> cuts, long offset) {
        int lo = 0;
        int hi = cuts.size() - 1;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (cuts.get(mid) <= offset) {
                lo = mid + 1;
            } else {
                hi = mid;
            }
        }
        return lo;
    }

    /** The paths (as the index has them) of every {@code every}th regular file in path order, as the probes change. */
    private static Set<String> changed(Path root, int every) throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(root)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        Set<String> paths = new HashSet<>();
        for (int i = 0; i < files.size(); i += every) {
            paths.add(root.relativize(files.get(i)).toString());
        }
        return paths;
    }
}
