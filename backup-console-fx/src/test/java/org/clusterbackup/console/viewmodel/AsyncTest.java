package org.clusterbackup.console.viewmodel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

class AsyncTest {
    @Test
    void workAskedForAfterTheWindowClosedIsDroppedQuietly() {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        pool.shutdownNow();
        List<String> called = new ArrayList<>();
        new Async(pool, Runnable::run).call(() -> "answer", called::add, e -> called.add("failed: " + e));
        assertTrue(called.isEmpty(), called.toString());
    }

    @Test
    void aBugInTheWorkReachesTheFailureCallback() {
        List<String> called = new ArrayList<>();
        Async.currentThread()
                .call(
                        () -> {
                            throw new IllegalStateException("bug");
                        },
                        r -> called.add("ok"),
                        e -> called.add("failed: " + e.getMessage()));
        assertEquals(List.of("failed: bug"), called);
    }
}
