package org.clusterbackup.core.agent;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.clusterbackup.core.concurrent.DaemonThreads;

/**
 * The agent-wide cap on restores: a fixed pool of extractor threads and as many permits. A restore takes a
 * permit when it is accepted and gives it back when its extractor thread ends, so a peer that opens
 * restores and never finishes them holds at most the cap, never a thread or a staging directory more.
 */
final class RestoreSlots implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(RestoreSlots.class.getName());

    private final int max;
    private final Semaphore permits;
    private final ExecutorService pool;

    RestoreSlots(int max) {
        this.max = max;
        this.permits = new Semaphore(max);
        this.pool = Executors.newFixedThreadPool(max, DaemonThreads.numbered("restore-"));
    }

    int max() {
        return max;
    }

    /** Takes a slot, or returns false at once when all are taken. */
    boolean tryTake() {
        return permits.tryAcquire();
    }

    /** Runs a restore's extractor on a pool thread; the slot is given back when it ends. */
    void run(Runnable extractor) {
        try {
            pool.execute(() -> {
                try {
                    extractor.run();
                } finally {
                    permits.release();
                }
            });
        } catch (RejectedExecutionException e) {
            permits.release(); // the agent is closing
            throw e;
        }
    }

    @Override
    public void close() {
        pool.shutdownNow();
        try {
            if (!pool.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.log(System.Logger.Level.WARNING, "restore threads still running 5 s after the agent closed");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
