package org.clusterbackup.console.viewmodel;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.Executor;

/** Holds background work until the test runs it: "in flight" made visible and ordered. */
final class QueuedExecutor implements Executor {
    private final Deque<Runnable> queue = new ArrayDeque<>();

    @Override
    public void execute(Runnable command) {
        queue.add(command);
    }

    int pending() {
        return queue.size();
    }

    /** Runs the oldest task (and whatever it hands to the UI executor, which runs at once). */
    void runNext() {
        queue.remove().run();
    }

    void runAll() {
        while (!queue.isEmpty()) {
            runNext();
        }
    }
}
