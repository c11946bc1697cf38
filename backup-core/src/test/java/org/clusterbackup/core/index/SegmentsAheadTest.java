package org.clusterbackup.core.index;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The read-ahead on its own: order, errors where they belong, and nothing still running once it is closed. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SegmentsAheadTest {
    private static final List<IndexSegment> SEGMENTS = segments(6);

    private static List<IndexSegment> segments(int n) {
        List<IndexSegment> list = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            list.add(new IndexSegment(i, 1000L * i, 1000, 100 + 100L * i, 100, 0));
        }
        return list;
    }

    /** A plan of the given segments, which records that it was closed. */
    private static final class ListPlan implements SegmentsAhead.Plan {
        private final Iterator<IndexSegment> next;
        boolean closed;

        ListPlan(List<IndexSegment> segments) {
            this.next = segments.iterator();
        }

        @Override
        public IndexSegment next() {
            return next.hasNext() ? next.next() : null;
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    private static byte[] bytesOf(IndexSegment s) {
        return new byte[] {(byte) s.number()};
    }

    @Test
    void segmentsComeInOrderWhoeverInflatesThem() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (java.util.concurrent.Executor executor :
                    List.<java.util.concurrent.Executor>of(pool, Runnable::run, task -> {})) {
                ListPlan plan = new ListPlan(SEGMENTS);
                try (SegmentsAhead ahead = new SegmentsAhead(plan, SegmentsAheadTest::bytesOf, executor, 2, 1500)) {
                    for (IndexSegment s : SEGMENTS) {
                        assertArrayEquals(bytesOf(s), ahead.take(s));
                    }
                    assertEquals(SEGMENTS.size(), ahead.served());
                    assertTrue(plan.closed, "the plan is closed once it ends");
                    assertNull(ahead.take(SEGMENTS.get(0)), "past the plan the reader inflates itself");
                }
            }
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void anErrorIsThrownWhenItsSegmentIsTakenAndNotBefore() throws Exception {
        ArchiveFormatException damaged = new ArchiveFormatException("segment 2 has CRC-32 0, 1 was recorded");
        SegmentsAhead.Inflate inflate = s -> {
            if (s.number() == 2) {
                throw damaged;
            }
            return bytesOf(s);
        };
        // Run as handed over: all three are inflated before the first is taken.
        try (SegmentsAhead ahead = new SegmentsAhead(new ListPlan(SEGMENTS), inflate, Runnable::run, 3, 1 << 20)) {
            assertArrayEquals(bytesOf(SEGMENTS.get(0)), ahead.take(SEGMENTS.get(0)));
            assertArrayEquals(bytesOf(SEGMENTS.get(1)), ahead.take(SEGMENTS.get(1)));
            assertSame(damaged, assertThrows(ArchiveFormatException.class, () -> ahead.take(SEGMENTS.get(2))));
        }
    }

    @Test
    void aRequestThePlanDidNotPredictStopsTheReadAhead() throws Exception {
        ListPlan plan = new ListPlan(SEGMENTS);
        try (SegmentsAhead ahead = new SegmentsAhead(plan, SegmentsAheadTest::bytesOf, Runnable::run, 2, 1 << 20)) {
            assertNull(ahead.take(SEGMENTS.get(3)));
            assertTrue(plan.closed);
            assertNull(ahead.take(SEGMENTS.get(0)), "the reader inflates every later segment itself");
            assertEquals(0, ahead.served());
        }
    }

    /**
     * Closing waits for the inflate a pool thread is in, and no segment starts inflating after it: a reader
     * that failed leaves no work of its own running.
     */
    @Test
    void closingWaitsForTheInflateInProgressAndStartsNoOther() throws Exception {
        ConcurrentLinkedQueue<String> events = new ConcurrentLinkedQueue<>();
        CountDownLatch inSecond = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        SegmentsAhead.Inflate inflate = s -> {
            events.add("start " + s.number());
            if (s.number() == 1) {
                inSecond.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            events.add("end " + s.number());
            return bytesOf(s);
        };
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            SegmentsAhead ahead = new SegmentsAhead(new ListPlan(SEGMENTS), inflate, pool, 3, 1 << 20);
            inSecond.await(); // the pool thread took segment 0, then 1, and is held in it; 2 waits in its queue
            Thread closer = new Thread(() -> {
                ahead.close();
                events.add("closed");
            });
            closer.start();
            closer.join(200); // room for a wrong close to return early: the order below would show it
            events.add("released");
            release.countDown();
            closer.join();
            pool.shutdown();
            assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS));
            assertEquals(List.of("start 0", "end 0", "start 1", "released", "end 1", "closed"), List.copyOf(events));
        } finally {
            pool.shutdownNow();
        }
    }
}
