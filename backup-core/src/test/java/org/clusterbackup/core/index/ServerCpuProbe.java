package org.clusterbackup.core.index;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.clusterbackup.core.archive.Trees;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Not a test: the in-process harness behind the server-CPU figures of docs/PERFORMANCE.md ("Server CPU in
 * process"). Surefire never runs it by itself (its name does not end in Test); run it by name with a tree
 * made by {@code bench/GenTree.java}:
 * {@code ./mvnw -o -q -pl backup-test-kit,backup-core test -Dtest=ServerCpuProbe -Dprobe.tree=DIR}.
 * It stores a full archive of a copy of the tree, appends one line to every 100th file (the bench's 1% run),
 * (every 10th with {@code -Dprobe.every=10}), then times, after warm-ups, the synthesis of the new archive from the base and the delta (process CPU,
 * since it deflates on a pool) and the index work of a single-file fetch (the calling thread's CPU). Each
 * result is checked (the synthesis against a full backup of the changed tree), so the figures are of work
 * that gave the right answer. {@code -Dtest=ServerCpuProbe#rebuild} times the block rebuild of the same run.
 */
class ServerCpuProbe {
    private static final int LEVEL = 6;

    @TempDir
    Path tmp;

    @Test
    @Timeout(value = 30, unit = TimeUnit.MINUTES)
    void measure() throws Exception {
        Path root = tree();
        StoredArchives.Stored base = StoredArchives.full(root, tmp, "base", LEVEL);
        fetchFile(base);
        int every = Integer.getInteger("probe.every", 100); // 10: the bench's 10% run
        List<Path> files = appendToEvery(root, every);
        StoredArchives.Stored full = StoredArchives.full(root, tmp, "full", LEVEL);
        StoredArchives.Delta delta = StoredArchives.delta(root, base, tmp.resolve("delta.tar"));
        String baseSha = Trees.sha256(base.archive());
        int rounds = Integer.getInteger("probe.rounds", 3);
        long[] cpu = new long[rounds];
        long[] wall = new long[rounds];
        ArchiveSynthesizer.Result r = null;
        for (int i = -2; i < rounds; i++) {
            long c0 = ProcCpu.process();
            long w0 = System.nanoTime();
            try (IndexFile index = base.open()) {
                r = ArchiveSynthesizer.synthesize(
                        base.archive(),
                        baseSha,
                        index,
                        delta.tar(),
                        delta.removed(),
                        LEVEL,
                        tmp.resolve("synth.tgz"),
                        tmp.resolve("synth.idx"),
                        e -> {});
            }
            if (i >= 0) {
                cpu[i] = ProcCpu.process() - c0;
                wall[i] = System.nanoTime() - w0;
            }
        }
        assertNotNull(r);
        assertEquals(Trees.sha256(full.archive()), r.sha256());
        System.out.printf(
                "PROBE synthesis (every %dth of %d files changed): %d segments, %d copied; CPU ms %s; wall ms %s%n",
                every, files.size(), r.segments(), r.copiedSegments(), ms(cpu), ms(wall));
    }

    /**
     * The server's block rebuild of the same run ({@code -Dtest=ServerCpuProbe#rebuild}), its base segments
     * inflated on the rebuilder's thread (read-ahead 0) and ahead on the pool, alternating; each rebuilt tar is
     * checked against the first, so the figures are of work that gave it.
     */
    @Test
    @Timeout(value = 30, unit = TimeUnit.MINUTES)
    void rebuild() throws Exception {
        Path root = tree();
        Path state = Files.createDirectories(tmp.resolve("state"));
        StoredArchives.Stored base = StoredArchives.fullWithSignatures(root, state, tmp, "base", LEVEL);
        int every = Integer.getInteger("probe.every", 100);
        List<Path> files = appendToEvery(root, every);
        Path stream = tmp.resolve("delta.blocks");
        long described = StoredArchives.blockDelta(root, state, base, stream, new HashSet<>());
        int rounds = Integer.getInteger("probe.rounds", 5);
        int[] aheads = {0, BlockRebuild.AHEAD};
        long[][] cpu = new long[2][rounds];
        long[][] wall = new long[2][rounds];
        long[][] own = new long[2][rounds];
        byte[] expected = null;
        long inflatedAhead = 0;
        for (int i = -2; i < rounds; i++) {
            for (int k = 0; k < 2; k++) {
                Path tar = tmp.resolve("rebuilt-" + k + ".tar");
                long c0 = ProcCpu.process();
                long t0 = ProcCpu.thread();
                long w0 = System.nanoTime();
                BlockRebuild.Result r;
                try (IndexFile index = base.open();
                        InflatedSegments kept =
                                InflatedSegments.create(tmp.resolve("kept-" + k + ".segments"), 256L << 20)) {
                    r = BlockRebuild.rebuild(stream, base.archive(), index, tar, 0, kept, SegmentPool.POOL, aheads[k]);
                }
                if (i >= 0) {
                    cpu[k][i] = ProcCpu.process() - c0;
                    own[k][i] = ProcCpu.thread() - t0;
                    wall[k][i] = System.nanoTime() - w0;
                }
                byte[] bytes = Files.readAllBytes(tar);
                if (expected == null) {
                    expected = bytes;
                }
                assertArrayEquals(expected, bytes);
                inflatedAhead = Math.max(inflatedAhead, r.inflatedAhead());
            }
        }
        assertTrue(inflatedAhead > 0);
        for (int k = 0; k < 2; k++) {
            System.out.printf(
                    "PROBE rebuild (%d files described, every %dth of %d changed), read-ahead %d (%d segments):"
                            + " CPU ms %s, the rebuilder's thread %s; wall ms %s%n",
                    described,
                    every,
                    files.size(),
                    aheads[k],
                    k == 0 ? 0 : inflatedAhead,
                    ms(cpu[k]),
                    ms(own[k]),
                    ms(wall[k]));
        }
    }

    /** A copy of the tree {@code -Dprobe.tree} names; the probe is skipped without it. */
    private Path tree() throws IOException {
        String source = System.getProperty("probe.tree");
        Assumptions.assumeTrue(source != null, "run by name with -Dprobe.tree=DIR");
        Path root = tmp.resolve("tree");
        copy(Path.of(source), root);
        return root;
    }

    /** Appends one line to every {@code every}th regular file of {@code root} (by path): the bench's change. */
    static List<Path> appendToEvery(Path root, int every) throws IOException {
        List<Path> files;
        try (Stream<Path> walk = Files.walk(root)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        for (int i = 0; i < files.size(); i += every) {
            Files.write(files.get(i), "one more line\n".getBytes(StandardCharsets.UTF_8), StandardOpenOption.APPEND);
        }
        return files;
    }

    /** The index work of {@code fetch --file} for a small file from the middle of the archive, per request. */
    private static void fetchFile(StoredArchives.Stored base)
            throws IOException, UnusableIndexException, ArchiveFormatException {
        IndexEntry middle = middleFile(base);
        int n = Integer.getInteger("probe.requests", 200);
        long[] perRequest = new long[3];
        // As the server opens an index for a request: through its cache of checked indexes.
        VerifiedIndexes indexes = new VerifiedIndexes(VerifiedIndexes.DEFAULT_MAX_BYTES);
        try (FileChannel channel = FileChannel.open(base.archive(), StandardOpenOption.READ)) {
            for (int round = -2; round < perRequest.length; round++) {
                long c0 = ProcCpu.thread();
                for (int i = 0; i < n; i++) {
                    long[] length = {0};
                    try (IndexFile index = indexes.open(base.index(), base.indexSha256())) {
                        FileExtractor.Located located = FileExtractor.locate(index, middle.path());
                        FileExtractor.extract(new SegmentReader(channel), located, (b, off, len) -> length[0] += len);
                    }
                    assertEquals(middle.size(), length[0]);
                }
                if (round >= 0) {
                    perRequest[round] = (ProcCpu.thread() - c0) / n;
                }
            }
        }
        System.out.printf(
                "PROBE fetch --file index work (%s, %d bytes, index %d bytes): CPU us per request %s%n",
                middle.path(),
                middle.size(),
                Files.size(base.index()),
                Arrays.toString(Arrays.stream(perRequest).map(t -> t / 1000).toArray()));
    }

    /** The bench's file: the smallest regular file of the middle third of the archive. */
    static IndexEntry middleFile(StoredArchives.Stored base) throws IOException, UnusableIndexException {
        List<IndexEntry> regular = new ArrayList<>();
        for (IndexEntry e : base.entries()) {
            if (e.kind() == EntryKind.FILE) {
                regular.add(e);
            }
        }
        return regular.subList(regular.size() / 3, 2 * regular.size() / 3 + 1).stream()
                .min((a, b) -> Long.compare(a.size(), b.size()))
                .orElseThrow();
    }

    /** utime + stime of the calling thread in nanoseconds, from /proc (10 ms ticks: time many requests). */
    private static long threadCpu() throws IOException {
        return cpu(Path.of("/proc/thread-self/stat"));
    }

    /** utime + stime of this JVM in nanoseconds, from /proc as the bench reads the daemons' (10 ms ticks). */
    private static long processCpu() throws IOException {
        return cpu(Path.of("/proc/self/stat"));
    }

    private static long cpu(Path procStat) throws IOException {
        String stat = Files.readString(procStat);
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10_000_000L;
    }

    private static String ms(long[] nanos) {
        return Arrays.toString(Arrays.stream(nanos).map(t -> t / 1_000_000).toArray());
    }

    static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.toList()) {
                Path t = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(t);
                } else {
                    Files.copy(p, t, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        // Directories last written get their mtimes back after their files were copied in.
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.filter(Files::isDirectory).toList()) {
                Files.setLastModifiedTime(to.resolve(from.relativize(p).toString()), Files.getLastModifiedTime(p));
            }
        }
    }
}
