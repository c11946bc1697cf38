package org.clusterbackup.core.schedule;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.Executor;

/** Holds tasks until the test runs them, on the test's thread: a run "in progress" is a task not yet run. */
final class QueuedExecutor implements Executor {
    private final Deque<Runnable> tasks = new ArrayDeque<>();

    @Override
    public synchronized void execute(Runnable task) {
        tasks.add(task);
    }

    synchronized int pending() {
        return tasks.size();
    }

    /** Runs the oldest task; false when there was none. */
    boolean runNext() {
        Runnable task;
        synchronized (this) {
            task = tasks.poll();
        }
        if (task == null) {
            return false;
        }
        task.run();
        return true;
    }

    /** Runs tasks until none is left; returns how many ran. */
    int runAll() {
        int n = 0;
        while (runNext()) {
            n++;
        }
        return n;
    }
}
