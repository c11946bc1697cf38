package org.clusterbackup.core.archive;

import java.time.Clock;
import java.util.Objects;

/**
 * How a {@link TreeArchiver} reads and compresses.
 *
 * @param opener opens regular files for reading
 * @param clock the time a scan or write starts is read from it; the stat cache's racy rule compares file
 *        timestamps with that instant, so tests control it
 * @param gzipLevel deflate level, 0 (store) to 9 (smallest), of writes that are not given one (the agent
 *        uses the level each request names)
 * @param threads how many threads compress segments at once, 1 to {@link #MAX_THREADS}; the archive's bytes
 *        do not depend on it
 * @param hotFileRetries how many times a small file that changed while being read is read again before
 *        its last read is kept with a warning (see {@link TreeArchiver})
 * @param hooks test seams; {@link ArchiveHooks#NONE} in production
 * @param fidelity which of hard links, sparse files, extended attributes and sub-second times are kept
 */
public record ArchiveOptions(
        FileOpener opener,
        Clock clock,
        int gzipLevel,
        int threads,
        int hotFileRetries,
        ArchiveHooks hooks,
        Fidelity fidelity) {
    public static final int DEFAULT_GZIP_LEVEL = 6;
    public static final int DEFAULT_HOT_FILE_RETRIES = 2;
    /** More re-reads than this only burn I/O on a file that is written continuously. */
    public static final int MAX_HOT_FILE_RETRIES = 20;
    /**
     * More compressing threads than this would hold more segments in memory than an agent's heap should,
     * for no gain on any machine an agent runs on.
     */
    public static final int MAX_THREADS = 64;

    public ArchiveOptions {
        Objects.requireNonNull(opener, "opener");
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(hooks, "hooks");
        Objects.requireNonNull(fidelity, "fidelity");
        if (gzipLevel < 0 || gzipLevel > 9) {
            throw new IllegalArgumentException("gzipLevel must be between 0 and 9, was " + gzipLevel);
        }
        if (threads < 1 || threads > MAX_THREADS) {
            throw new IllegalArgumentException("threads must be between 1 and " + MAX_THREADS + ", was " + threads);
        }
        if (hotFileRetries < 0 || hotFileRetries > MAX_HOT_FILE_RETRIES) {
            throw new IllegalArgumentException(
                    "hotFileRetries must be between 0 and " + MAX_HOT_FILE_RETRIES + ", was " + hotFileRetries);
        }
    }

    /** With everything kept ({@link Fidelity#ALL}). */
    public ArchiveOptions(
            FileOpener opener, Clock clock, int gzipLevel, int threads, int hotFileRetries, ArchiveHooks hooks) {
        this(opener, clock, gzipLevel, threads, hotFileRetries, hooks, Fidelity.ALL);
    }

    /** Standard opener, system UTC clock, gzip level 6, {@link #defaultThreads()}, 2 retries, no hooks. */
    public static ArchiveOptions defaults() {
        return new ArchiveOptions(
                FileOpener.standard(),
                Clock.systemUTC(),
                DEFAULT_GZIP_LEVEL,
                defaultThreads(),
                DEFAULT_HOT_FILE_RETRIES,
                ArchiveHooks.NONE);
    }

    /** One compressing thread per core the JVM may use, at most {@link #MAX_THREADS}. */
    public static int defaultThreads() {
        return Math.min(MAX_THREADS, Math.max(1, Runtime.getRuntime().availableProcessors()));
    }

    public ArchiveOptions withOpener(FileOpener newOpener) {
        return new ArchiveOptions(newOpener, clock, gzipLevel, threads, hotFileRetries, hooks, fidelity);
    }

    public ArchiveOptions withClock(Clock newClock) {
        return new ArchiveOptions(opener, newClock, gzipLevel, threads, hotFileRetries, hooks, fidelity);
    }

    public ArchiveOptions withGzipLevel(int level) {
        return new ArchiveOptions(opener, clock, level, threads, hotFileRetries, hooks, fidelity);
    }

    public ArchiveOptions withThreads(int n) {
        return new ArchiveOptions(opener, clock, gzipLevel, n, hotFileRetries, hooks, fidelity);
    }

    public ArchiveOptions withHotFileRetries(int retries) {
        return new ArchiveOptions(opener, clock, gzipLevel, threads, retries, hooks, fidelity);
    }

    public ArchiveOptions withHooks(ArchiveHooks newHooks) {
        return new ArchiveOptions(opener, clock, gzipLevel, threads, hotFileRetries, newHooks, fidelity);
    }

    public ArchiveOptions withFidelity(Fidelity newFidelity) {
        return new ArchiveOptions(opener, clock, gzipLevel, threads, hotFileRetries, hooks, newFidelity);
    }
}
