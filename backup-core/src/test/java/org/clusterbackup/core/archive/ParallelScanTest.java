package org.clusterbackup.core.archive;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.clusterbackup.testkit.ManualClock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A scan that must hash (a base digest to compare with, no stat cache to vouch) hashes on every thread, and
 * gives the one-thread scan's result: entries, digest, files, warnings, listener progress and stat cache, with
 * no more files open at once than there are threads to read them (plus the scan's own).
 */
class ParallelScanTest {
    @TempDir
    Path dir;

    /** What one scan gave. */
    private record Scan(TreeScan scan, List<Long> progress, List<Path> opened, int mostOpen, byte[] cache) {}

    @Test
    void oneTwoAndFourThreadsScanAlike() throws IOException {
        Path root = tree();

        Scan one = scan(root, 1);
        Scan two = scan(root, 2);
        Scan four = scan(root, 4);

        assertTrue(one.scan().files() > 300, "files: " + one.scan().files());
        assertTrue(
                one.scan().warnings().stream().anyMatch(w -> w.startsWith("unreadable many/d3/f17.txt")),
                () -> "warnings: " + one.scan().warnings());
        assertTrue(
                one.scan().warnings().contains("vanished during backup: many/d5/f40.txt"),
                () -> "warnings: " + one.scan().warnings());
        assertEquals(1, one.mostOpen(), "one thread reads one file at a time");
        for (Scan other : List.of(two, four)) {
            assertEquals(one.scan(), other.scan(), "entries, digest, files and warnings");
            assertEquals(one.progress(), other.progress(), "what the listener was told, in order");
            assertEquals(one.opened(), other.opened(), "each file opened once");
            assertArrayEquals(one.cache(), other.cache(), "the stat cache saved");
        }
        assertTrue(four.mostOpen() <= 4 + 1, "files open at once with 4 threads: " + four.mostOpen());
        assertTrue(two.mostOpen() <= 2 + 1, "files open at once with 2 threads: " + two.mostOpen());
    }

    @Test
    void laterFilesAreReadWhileAnEarlierOneIsStillOpen() throws Exception {
        Path root = tree();
        Path early = root.resolve("many/d0/f1.txt");
        Path later = root.resolve("many/d0/f12.txt"); // three files on, in the scan's order
        java.util.concurrent.CountDownLatch laterOpened = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.atomic.AtomicBoolean waited = new java.util.concurrent.atomic.AtomicBoolean();
        // The early file's open waits for the later one's: a scan hashing one file at a time would wait in vain.
        FileOpener opener = (file, safe) -> {
            if (file.equals(later)) {
                laterOpened.countDown();
            } else if (file.equals(early)) {
                try {
                    waited.set(laterOpened.await(60, java.util.concurrent.TimeUnit.SECONDS));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return safe.open();
        };
        TreeScan scan;
        try (TreeArchiver archiver =
                new TreeArchiver(ArchiveOptions.defaults().withThreads(4).withOpener(opener))) {
            scan = archiver.scan(root, StatCache.empty());
        }
        assertTrue(waited.get(), "the later file was not read while the earlier one was open");
        try (TreeArchiver archiver = new TreeArchiver(ArchiveOptions.defaults().withThreads(1))) {
            assertEquals(archiver.scan(root, StatCache.empty()).digest(), scan.digest());
        }
    }

    private Scan scan(Path root, int threads) throws IOException {
        Path state = Files.createDirectories(dir.resolve("state-" + threads));
        Path vanishing = Trees.write(root, "many/d5/f40.txt", "gone once the walk has seen it\n");
        // Its directory's mtime as in every other scan: only the file's fate may differ.
        Files.setLastModifiedTime(
                vanishing.getParent(), java.nio.file.attribute.FileTime.fromMillis(1_700_000_000_000L));
        Concurrency opener = new Concurrency();
        opener.counting.deny(root.resolve("many/d3/f17.txt"));
        ArchiveHooks hooks = new ArchiveHooks() {
            @Override
            public void afterWalk(Path scanned) {
                try {
                    Files.delete(vanishing);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
        };
        List<Long> progress = new ArrayList<>();
        // An hour ahead: every file is old enough for the stat cache to keep it (its racy rule).
        ArchiveOptions options = ArchiveOptions.defaults()
                .withThreads(threads)
                .withOpener(opener)
                .withHooks(hooks)
                .withClock(ManualClock.hourAhead());
        try (TreeArchiver archiver = new TreeArchiver(options)) {
            TreeScan scan = archiver.scan(root, StatCache.load(state, root), progress::add);
            List<Path> opened = new ArrayList<>(opener.counting.opened());
            Collections.sort(opened);
            return new Scan(
                    scan, progress, opened, opener.most.get(), Files.readAllBytes(StatCache.fileFor(state, root)));
        }
    }

    /** Many small files over several directories, big ones, symlinks, hard links, a fifo, an unreadable file. */
    private Path tree() throws IOException {
        Path root = Files.createDirectories(dir.resolve("src"));
        Trees.sample(root);
        FidelityTrees.build(root, false);
        Random random = new Random(5);
        for (int d = 0; d < 8; d++) {
            for (int f = 0; f < 45; f++) {
                Trees.write(root, "many/d" + d + "/f" + f + ".txt", ("file " + d + "/" + f + "\n").repeat(f * 7));
            }
        }
        for (int i = 0; i < 6; i++) {
            byte[] big = new byte[(1 << 20) * (i % 3 + 1) + 333 * i];
            random.nextBytes(big);
            Files.write(Files.createDirectories(root.resolve("big")).resolve("b" + i + ".bin"), big);
        }
        Files.createSymbolicLink(root.resolve("many/to-big"), Path.of("../big/b1.bin"));
        Files.createLink(root.resolve("many/d2/again.bin"), root.resolve("big/b2.bin"));
        GnuTar.mkfifo(root.resolve("many/pipe"));
        return root;
    }

    /** Counts opens (and refuses one) as {@link CountingOpener} does, and the most files open at once. */
    private static final class Concurrency implements FileOpener {
        final CountingOpener counting = new CountingOpener();
        final AtomicInteger open = new AtomicInteger();
        final AtomicInteger most = new AtomicInteger();

        @Override
        public SeekableByteChannel open(Path file, SafeOpen safe) throws IOException {
            SeekableByteChannel channel = counting.open(file, safe);
            most.accumulateAndGet(open.incrementAndGet(), Math::max);
            return new Tracked(channel, open);
        }
    }

    /** A channel that tells when it is closed. */
    private static final class Tracked implements SeekableByteChannel {
        private final SeekableByteChannel channel;
        private final AtomicInteger open;
        private boolean closed;

        Tracked(SeekableByteChannel channel, AtomicInteger open) {
            this.channel = channel;
            this.open = open;
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            return channel.read(dst);
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            return channel.write(src);
        }

        @Override
        public long position() throws IOException {
            return channel.position();
        }

        @Override
        public SeekableByteChannel position(long newPosition) throws IOException {
            channel.position(newPosition);
            return this;
        }

        @Override
        public long size() throws IOException {
            return channel.size();
        }

        @Override
        public SeekableByteChannel truncate(long size) throws IOException {
            channel.truncate(size);
            return this;
        }

        @Override
        public boolean isOpen() {
            return channel.isOpen();
        }

        @Override
        public void close() throws IOException {
            if (!closed) {
                closed = true;
                open.decrementAndGet();
            }
            channel.close();
        }
    }
}
