package org.clusterbackup.core.net;

import java.io.Closeable;
import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.clusterbackup.core.concurrent.DaemonThreads;

/**
 * A deadline for a blocking socket write, which Java cannot time out by itself: if the write is still
 * going when the deadline passes, the socket is closed, which ends the write with an exception. One
 * daemon thread serves the process; a write that finishes in time costs a schedule and a cancel.
 */
final class WriteWatchdog {
    private static final ScheduledThreadPoolExecutor TIMER = timer();

    private WriteWatchdog() {}

    /** A write in progress; {@link #expired} tells the caller why its write failed. */
    static final class Guard implements AutoCloseable {
        private final ScheduledFuture<?> task;
        private final AtomicBoolean expired;

        private Guard(ScheduledFuture<?> task, AtomicBoolean expired) {
            this.task = task;
            this.expired = expired;
        }

        boolean expired() {
            return expired.get();
        }

        @Override
        public void close() {
            task.cancel(false);
        }
    }

    static Guard watch(Closeable socket, Duration deadline) {
        AtomicBoolean expired = new AtomicBoolean();
        ScheduledFuture<?> task = TIMER.schedule(
                () -> {
                    expired.set(true);
                    try {
                        socket.close();
                    } catch (IOException ignored) {
                        // closing is what ends the write; a failure to close leaves nothing else to do
                    }
                },
                deadline.toMillis(),
                TimeUnit.MILLISECONDS);
        return new Guard(task, expired);
    }

    private static ScheduledThreadPoolExecutor timer() {
        ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, DaemonThreads.named("write-watchdog"));
        t.setRemoveOnCancelPolicy(true); // writes that finish in time leave nothing queued
        return t;
    }
}
