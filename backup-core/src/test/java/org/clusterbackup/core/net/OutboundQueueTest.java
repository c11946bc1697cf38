package org.clusterbackup.core.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.util.ArrayList;
import java.util.List;
import org.clusterbackup.core.model.ErrorCode;
import org.clusterbackup.core.protocol.Data;
import org.clusterbackup.core.protocol.ErrorReply;
import org.clusterbackup.core.protocol.FrameDecoder;
import org.clusterbackup.core.protocol.FrameEncoder;
import org.clusterbackup.core.protocol.KeepAlive;
import org.clusterbackup.core.protocol.ListRequest;
import org.clusterbackup.core.protocol.Message;
import org.clusterbackup.core.protocol.ProtocolLimits;
import org.junit.jupiter.api.Test;

class OutboundQueueTest {

    /** A channel like a congested socket: it takes at most {@code perWrite} bytes per call, sometimes none. */
    static final class TrickleChannel implements WritableByteChannel {
        final ByteArrayOutputStream received = new ByteArrayOutputStream();
        final int perWrite;
        int calls;

        TrickleChannel(int perWrite) {
            this.perWrite = perWrite;
        }

        @Override
        public int write(ByteBuffer src) {
            if (++calls % 3 == 0) {
                return 0; // socket buffer full this time
            }
            int n = Math.min(perWrite, src.remaining());
            for (int i = 0; i < n; i++) {
                received.write(src.get());
            }
            return n;
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public void close() {}
    }

    @Test
    void writeHandlesPartialSocketChannelWrites() throws Exception {
        List<Message> sent = List.of(
                new ListRequest(),
                new Data(new byte[1000]),
                KeepAlive.INSTANCE,
                new ErrorReply(ErrorCode.BUSY, "busy"));
        OutboundQueue queue = new OutboundQueue();
        long total = 0;
        for (Message m : sent) {
            total = queue.add(FrameEncoder.encode(m, ProtocolLimits.DEFAULT));
        }
        TrickleChannel channel = new TrickleChannel(1);
        long written = 0;
        while (!queue.isEmpty()) {
            written += queue.writeTo(channel);
        }
        assertEquals(total, written);
        assertEquals(0, queue.pendingBytes());
        List<Message> decoded = new ArrayList<>();
        new FrameDecoder(ProtocolLimits.DEFAULT).decode(ByteBuffer.wrap(channel.received.toByteArray()), decoded::add);
        assertEquals(sent, decoded);
        assertTrue(channel.calls > total, "the channel took one byte per call");
    }
}
