package org.clusterbackup.core.archive;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.SeekableByteChannel;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;

/**
 * Reads and hashes, on a pool, the files a scan is about to hash, a bounded window ahead of it: a scan that
 * the stat cache cannot help (an agent that lost its state) hashes on every compressing thread instead of
 * one. Only the reading is done ahead. The scan acts on each {@link Outcome} itself, in its own order and on
 * its own thread (warnings, stat cache, counters, listener), so its result is the one-thread scan's.
 *
 * <p>Memory is bounded whatever the file sizes: at most {@code window} files are read ahead, each streamed
 * through a chunk buffer ({@link ExactReader}), never held whole; there is one such buffer and one copy of the
 * scan's {@link OpenTree} per thread that took a file, reused from file to file.
 *
 * <p>Used by one scan, on its thread; the reads run on the pool.
 */
final class HashAhead implements AutoCloseable {
    /**
     * What reading one file gave, before anything is done about it.
     *
     * @param openError why it could not be opened, or null (then {@code read} is set)
     * @param read the read, which may have failed part way ({@link ExactReader.Result#error()})
     * @param steady true if the read succeeded and the file's stat did not move while it was read
     * @param delta the block delta worked out on the way ({@link PreparedDeltas}), or null
     */
    record Outcome(IOException openError, ExactReader.Result read, boolean steady, PreparedDeltas.Prepared delta) {}

    /** A file the scan will hash, as the walk stat-ed it. */
    record Job(String name, FileStat stat) {}

    /** Which entry, by its index in the scan's order, the scan will hash, or null; asked on the scan's thread. */
    @FunctionalInterface
    interface Plan {
        Job job(int index);
    }

    private final OpenTree template;
    private final FileOpener opener;
    private final Executor pool;
    private final int window;
    private final int entries;
    private final Plan plan;
    private final TreeMap<Integer, FutureTask<Outcome>> pending = new TreeMap<>();
    /** One per thread that took a file: each thread reads its files in the scan's order, as the scan would. */
    private final ConcurrentHashMap<Thread, Reader> readers = new ConcurrentHashMap<>();

    private volatile boolean closing;
    private int next;

    /**
     * @param tree the scan's tree, as the walk left it: the reads go through copies of the directories it holds
     *        open, as the scan's own reads would
     * @param entries how many entries the scan has; {@code plan} is asked about each at most once, in order
     * @param window how many files may be read ahead at once
     */
    HashAhead(OpenTree tree, FileOpener opener, Executor pool, int window, int entries, Plan plan) throws IOException {
        this.template = tree.copy();
        this.opener = opener;
        this.pool = pool;
        this.window = window;
        this.entries = entries;
        this.plan = plan;
        fill();
    }

    /**
     * Reads one file as a scan hashes it: opened by {@code opener} through {@code tree}, read and hashed in one
     * pass (matched against its base's signature on the way if {@code prepared} has one for it), closed, and
     * stat-ed again.
     */
    static Outcome read(
            OpenTree tree,
            ExactReader reader,
            FileOpener opener,
            Job job,
            PreparedDeltas prepared,
            ManifestEntry before) {
        SeekableByteChannel channel;
        try {
            channel = opener.open(tree.path(job.name()), () -> tree.openFile(job.name()));
        } catch (IOException e) {
            return new Outcome(e, null, false, null);
        }
        ExactReader.Result read;
        PreparedDeltas.Prepared delta = null;
        try {
            if (prepared != null && prepared.candidate(before, job.stat())) {
                PreparedDeltas.Reading reading = prepared.read(reader, channel, job.stat(), before);
                read = reading.result();
                delta = reading.prepared();
            } else {
                read = reader.stream(channel, job.stat().size(), null, null);
            }
        } catch (IOException e) {
            throw new IllegalStateException("hashing has no sink that could fail", e);
        } finally {
            FileCopier.closeQuietly(channel, job.name());
        }
        if (read.error() != null) {
            return new Outcome(null, read, false, null);
        }
        boolean steady;
        try {
            steady = tree.stat(job.name()).unchangedSince(job.stat());
        } catch (IOException e) {
            steady = false; // gone or unreadable right after being read: keep the hash of what was read, trust nothing
        }
        return new Outcome(null, read, steady, delta);
    }

    /**
     * The outcome of entry {@code index} if it was read ahead, else null (the scan reads it itself). Entries
     * before it that were read ahead and not taken are dropped.
     */
    Outcome take(int index) throws IOException {
        next = Math.max(next, index + 1);
        Map<Integer, FutureTask<Outcome>> skipped = pending.headMap(index, false);
        for (FutureTask<Outcome> f : skipped.values()) {
            join(f);
        }
        skipped.clear();
        FutureTask<Outcome> mine = pending.remove(index);
        fill();
        return mine == null ? null : join(mine);
    }

    private void fill() {
        while (pending.size() < window && next < entries) {
            int index = next++;
            Job job = plan.job(index);
            if (job == null) {
                continue;
            }
            FutureTask<Outcome> task = new FutureTask<>(() -> closing ? null : readOnPool(job));
            pending.put(index, task);
            try {
                pool.execute(task);
            } catch (RejectedExecutionException e) {
                task.run(); // the pool is shut down: read here
            }
        }
    }

    private Outcome readOnPool(Job job) {
        return readers.computeIfAbsent(Thread.currentThread(), t -> new Reader())
                .read(job);
    }

    /** The task's outcome; run here if no pool thread has begun it (a task runs once, wherever it runs first). */
    private static Outcome join(FutureTask<Outcome> f) throws IOException {
        f.run();
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted while hashing ahead");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException("reading ahead failed", e.getCause());
        }
    }

    /** Waits for the reads under way (those not begun are skipped), then closes what they held open. */
    @Override
    public void close() {
        closing = true;
        boolean interrupted = false;
        for (FutureTask<Outcome> f : pending.values()) {
            f.run(); // one not begun ends at once, seeing the scan closing
            while (true) {
                try {
                    f.get();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                } catch (ExecutionException e) {
                    break; // already reported, or of no interest now
                }
            }
        }
        pending.clear();
        readers.values().forEach(Reader::close);
        readers.clear();
        template.close();
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** What one thread reads with: a chunk buffer and its copy of the scan's open tree, reused from file to file. */
    private final class Reader {
        private final ExactReader reader = new ExactReader();
        private OpenTree tree;

        Outcome read(Job job) {
            if (tree == null) {
                try {
                    tree = template.copy();
                } catch (IOException e) {
                    return new Outcome(e, null, false, null); // a directory held open is no longer readable
                }
            }
            return HashAhead.read(tree, reader, opener, job, null, null);
        }

        void close() {
            if (tree != null) {
                tree.close();
            }
        }
    }
}
