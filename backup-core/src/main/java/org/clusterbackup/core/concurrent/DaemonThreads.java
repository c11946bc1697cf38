package org.clusterbackup.core.concurrent;

import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Threads for the core's pools: daemons, so a pool someone forgot to shut down never keeps a JVM alive, and
 * named, so a thread dump says whose they are.
 */
public final class DaemonThreads {
    private DaemonThreads() {}

    /** Threads named {@code prefix1}, {@code prefix2}, … in the order they are made. */
    public static ThreadFactory numbered(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> daemon(r, prefix + n.incrementAndGet());
    }

    /** Threads all named {@code name}: for a pool of one. */
    public static ThreadFactory named(String name) {
        return r -> daemon(r, name);
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
