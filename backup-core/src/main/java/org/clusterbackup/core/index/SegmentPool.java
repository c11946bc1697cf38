package org.clusterbackup.core.index;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.clusterbackup.core.concurrent.DaemonThreads;

/**
 * The server's one pool for segment work off a run's thread: the synthesis deflates its touched segments on it
 * ({@link SegmentAssembler}), and the block rebuild inflates the base segments it will read a few ahead of
 * itself ({@link SegmentsAhead}). One thread per core, shared by every run, so runs at once never put more
 * threads on the cores than there are; daemon threads, and idle ones stop. Its tasks never wait for each other.
 */
final class SegmentPool {
    static final int THREADS = Runtime.getRuntime().availableProcessors();

    static final ThreadPoolExecutor POOL = pool();

    private SegmentPool() {}

    private static ThreadPoolExecutor pool() {
        ThreadPoolExecutor p = new ThreadPoolExecutor(
                THREADS,
                THREADS,
                30,
                TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(),
                DaemonThreads.numbered("segment-pool-"));
        p.allowCoreThreadTimeOut(true);
        return p;
    }
}
