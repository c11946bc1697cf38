package org.clusterbackup.core.server;

import java.lang.System.Logger.Level;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.clusterbackup.core.catalog.Execution;
import org.clusterbackup.core.catalog.Target;

/**
 * At most one run per target, at most {@code maxConcurrent} runs at once. Asking for a run of a target that
 * is already running joins that run: both callers get the same execution.
 */
final class RunCoordinator implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger(RunCoordinator.class.getName());

    private final BackupRunner runner;
    private final ExecutorService slots;
    private final Map<Long, CompletableFuture<Execution>> running = new ConcurrentHashMap<>();

    private final RunHooks hooks;

    RunCoordinator(BackupRunner runner, int maxConcurrent, RunHooks hooks) {
        this.runner = runner;
        this.hooks = hooks;
        AtomicInteger n = new AtomicInteger();
        this.slots = Executors.newFixedThreadPool(maxConcurrent, r -> {
            Thread t = new Thread(r, "backup-run-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /** Starts a run of the target, or joins the one in progress. */
    CompletableFuture<Execution> runNow(Target target, String trigger) {
        CompletableFuture<Execution> fresh = new CompletableFuture<>();
        CompletableFuture<Execution> current = running.putIfAbsent(target.id(), fresh);
        if (current != null) {
            hooks.joined(target.id());
            return current;
        }
        try {
            slots.execute(() -> {
                try {
                    Execution done = runner.run(target, trigger);
                    running.remove(target.id(), fresh);
                    fresh.complete(done);
                } catch (Throwable t) {
                    running.remove(target.id(), fresh);
                    fresh.completeExceptionally(t);
                }
            });
        } catch (java.util.concurrent.RejectedExecutionException e) {
            running.remove(target.id(), fresh);
            fresh.completeExceptionally(new IllegalStateException("the server is shutting down", e));
        }
        return fresh;
    }

    @Override
    public void close() {
        slots.shutdown();
        try {
            if (!slots.awaitTermination(30, TimeUnit.SECONDS)) {
                LOG.log(Level.WARNING, "{0} backup runs still going 30 s after shutdown began; they are cut off",
                        running.size());
                slots.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            slots.shutdownNow();
        }
    }
}
