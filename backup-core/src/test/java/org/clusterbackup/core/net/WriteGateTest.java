package org.clusterbackup.core.net;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.ClosedChannelException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class WriteGateTest {
    private final WriteGate gate = new WriteGate(0);
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicReference<Exception> failure = new AtomicReference<>();

    @Test
    void aSenderHeldBackByAFullQueueGoesOnAsSoonAsTheQueueDrains() throws Exception {
        Thread sender = blockedSender();

        gate.writeTo(Channels.newChannel(OutputStream.nullOutputStream()), 1);

        sender.join(TimeUnit.MINUTES.toMillis(1));
        assertEquals(Thread.State.TERMINATED, sender.getState(), "released by the drain, not by a timer");
        assertNull(failure.get());
    }

    @Test
    void aSenderHeldBackWhenTheConnectionClosesHearsThatItClosed() throws Exception {
        Thread sender = blockedSender();

        closed.set(true);
        gate.wakeSenders();

        sender.join(TimeUnit.MINUTES.toMillis(1));
        assertEquals(Thread.State.TERMINATED, sender.getState());
        assertInstanceOf(ClosedChannelException.class, failure.get());
    }

    /** A sender that queued more than the high-water mark and now waits for space. */
    private Thread blockedSender() {
        gate.add(ByteBuffer.allocate((int) WriteGate.HIGH_WATER + 1), 0);
        Thread sender = new Thread(this::awaitSpace, "sender");
        sender.start();
        await().until(() -> sender.getState() == Thread.State.WAITING);
        return sender;
    }

    private void awaitSpace() {
        try {
            gate.awaitSpace(closed::get, 1);
        } catch (Exception e) {
            failure.set(e);
        }
    }
}
