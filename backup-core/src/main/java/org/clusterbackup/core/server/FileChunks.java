package org.clusterbackup.core.server;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import org.clusterbackup.core.protocol.ProtocolLimits;

/** Reads an archive file in {@code Data}-sized chunks for whoever sends them on (fetch, restore). */
final class FileChunks {
    private FileChunks() {}

    @FunctionalInterface
    interface Sink {
        /** @param total bytes handed over so far, this chunk included */
        void accept(byte[] chunk, long total) throws IOException;
    }

    /** @return the bytes read */
    static long forEach(FileChannel channel, Sink sink) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(ProtocolLimits.DATA_CHUNK);
        long total = 0;
        while (channel.read(buffer.clear()) > 0) {
            buffer.flip();
            byte[] chunk = new byte[buffer.remaining()];
            buffer.get(chunk);
            total += chunk.length;
            sink.accept(chunk, total);
        }
        return total;
    }
}
