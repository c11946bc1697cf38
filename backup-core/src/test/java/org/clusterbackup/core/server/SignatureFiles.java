package org.clusterbackup.core.server;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.zip.CRC32;

/** Edits an agent's signature file the way a damaged or stale state would look (format: docs/BLOCK-DELTAS.md). */
final class SignatureFiles {
    private SignatureFiles() {}

    /** Swaps the records that two content keys point at, keeping the index's CRC-32 right. */
    static void swap(Path file, long keyA, long keyB) throws IOException {
        try (FileChannel c = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            long size = c.size();
            ByteBuffer trailer = ByteBuffer.allocate(16);
            c.read(trailer, size - 16);
            long indexOffset = trailer.getLong(0);
            ByteBuffer count = ByteBuffer.allocate(4);
            c.read(count, indexOffset);
            int n = count.getInt(0);
            ByteBuffer entries = ByteBuffer.allocate(16 * n);
            c.read(entries, indexOffset + 4);
            int a = -1;
            int b = -1;
            for (int i = 0; i < n; i++) {
                long key = entries.getLong(16 * i);
                a = key == keyA ? i : a;
                b = key == keyB ? i : b;
            }
            if (a < 0 || b < 0) {
                throw new IllegalStateException("both keys must be in the file");
            }
            long offsetA = entries.getLong(16 * a + 8);
            entries.putLong(16 * a + 8, entries.getLong(16 * b + 8));
            entries.putLong(16 * b + 8, offsetA);
            c.write(entries.rewind(), indexOffset + 4);
            CRC32 crc = new CRC32();
            crc.update(entries.array());
            c.write(ByteBuffer.allocate(4).putInt(0, (int) crc.getValue()), size - 8);
        }
    }
}
