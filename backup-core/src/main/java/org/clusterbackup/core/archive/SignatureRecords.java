package org.clusterbackup.core.archive;

import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.zip.CRC32;
import org.clusterbackup.core.delta.BlockSink;
import org.clusterbackup.core.delta.BlockSizes;
import org.clusterbackup.core.delta.BlockSource;

/**
 * The byte format of one file's stored signature, shared by the run's file and the store: the version's
 * size (8 bytes), its blocks in chunks of up to {@link #CHUNK} (each block a 4-byte weak sum and an 8-byte
 * strong hash, each chunk followed by the CRC-32 of its bytes), then the content key (8 bytes). Big-endian.
 * A chunk is checked before any of its blocks is used, so a damaged file costs the blocks from there on.
 */
final class SignatureRecords {
    /** Blocks per checked chunk. */
    static final int CHUNK = 4096;

    private static final int BLOCK_BYTES = BlockSizes.BYTES_PER_BLOCK;

    private SignatureRecords() {}

    /** The content key of a file with this SHA-256 (lowercase hex): its first 8 bytes. */
    static long key(String sha256) {
        return HexFormat.fromHexDigitsToLong(sha256, 0, 16);
    }

    /** Bytes of the record of a version of {@code size} bytes. */
    static long length(long size) {
        long blocks = BlockSizes.blockCount(size);
        long chunks = (blocks + CHUNK - 1) / CHUNK;
        return 8 + blocks * BLOCK_BYTES + chunks * 4 + 8;
    }

    /** Writes a record's blocks as they come (the caller wrote the size first and writes the key after). */
    static final class Writer implements BlockSink {
        private final DataOutputStream out;
        private final CRC32 crc = new CRC32();
        private final byte[] block = new byte[BLOCK_BYTES];
        private final ByteBuffer view = ByteBuffer.wrap(block);
        private int inChunk;

        Writer(DataOutputStream out) {
            this.out = out;
        }

        @Override
        public void block(int weak, long strong) throws IOException {
            view.clear();
            view.putInt(weak).putLong(strong);
            out.write(block);
            crc.update(block);
            if (++inChunk == CHUNK) {
                endChunk();
            }
        }

        /** Closes the last chunk, if it has blocks. */
        void finish() throws IOException {
            if (inChunk > 0) {
                endChunk();
            }
        }

        private void endChunk() throws IOException {
            out.writeInt((int) crc.getValue());
            crc.reset();
            inChunk = 0;
        }
    }

    /** A stored record, read in chunks from {@code channel} (which must stay open while it is used). */
    static final class Reader implements BlockSource {
        private final FileChannel channel;
        private final long size;
        private final int blockSize;
        private final long blocks;
        private long at;
        private long blocksRead;
        private final ByteBuffer chunk;
        private int chunkBlocks;
        private int chunkNext;
        private final CRC32 crc = new CRC32();

        /** The record at {@code offset}, whose version is {@code size} bytes long (as its first 8 bytes say). */
        Reader(FileChannel channel, long offset, long size) {
            this.channel = channel;
            this.size = size;
            this.blockSize = BlockSizes.forSize(size);
            this.blocks = BlockSizes.blockCount(size);
            this.at = offset + 8;
            this.chunk = ByteBuffer.allocate((int) Math.min(blocks, CHUNK) * BLOCK_BYTES + 4);
        }

        @Override
        public long size() {
            return size;
        }

        @Override
        public int blockSize() {
            return blockSize;
        }

        @Override
        public int read(int[] weak, long[] strong, int offset, int max) throws IOException {
            if (chunkNext == chunkBlocks) {
                if (blocksRead == blocks) {
                    return 0;
                }
                loadChunk();
            }
            int n = Math.min(max, chunkBlocks - chunkNext);
            for (int i = 0; i < n; i++) {
                int p = (chunkNext + i) * BLOCK_BYTES;
                weak[offset + i] = chunk.getInt(p);
                strong[offset + i] = chunk.getLong(p + 4);
            }
            chunkNext += n;
            return n;
        }

        private void loadChunk() throws IOException {
            chunkBlocks = (int) Math.min(CHUNK, blocks - blocksRead);
            int bytes = chunkBlocks * BLOCK_BYTES;
            chunk.clear().limit(bytes + 4);
            while (chunk.hasRemaining()) {
                if (channel.read(chunk, at + chunk.position()) < 0) {
                    throw new IOException("the signature file ends inside a signature");
                }
            }
            crc.reset();
            crc.update(chunk.array(), 0, bytes);
            if ((int) crc.getValue() != chunk.getInt(bytes)) {
                throw new IOException("a chunk of a signature fails its CRC-32");
            }
            at += bytes + 4;
            blocksRead += chunkBlocks;
            chunkNext = 0;
        }
    }

    /** Sorted keys with the offsets of their records, looked up by binary search: 16 bytes a file. */
    static final class KeyIndex {
        private long[] keys = new long[16];
        private long[] offsets = new long[16];
        private int size;
        private boolean sorted = true;

        void add(long key, long offset) {
            if (size == keys.length) {
                keys = Arrays.copyOf(keys, size * 2);
                offsets = Arrays.copyOf(offsets, size * 2);
            }
            if (size > 0 && Long.compare(keys[size - 1], key) >= 0) {
                sorted = false;
            }
            keys[size] = key;
            offsets[size] = offset;
            size++;
        }

        int size() {
            return size;
        }

        long key(int i) {
            return keys[i];
        }

        long offset(int i) {
            return offsets[i];
        }

        /** The offset of {@code key}'s record, or -1. */
        long find(long key) {
            if (!sorted) {
                sort();
            }
            int i = Arrays.binarySearch(keys, 0, size, key);
            return i >= 0 ? offsets[i] : -1;
        }

        /** Sorts by key; of equal keys one is kept. */
        private void sort() {
            Long[] order = new Long[size];
            for (int i = 0; i < size; i++) {
                order[i] = (long) i;
            }
            Arrays.sort(order, (x, y) -> Long.compare(keys[(int) (long) x], keys[(int) (long) y]));
            long[] k = new long[Math.max(16, size)];
            long[] o = new long[k.length];
            int n = 0;
            for (Long i : order) {
                int j = (int) (long) i;
                if (n == 0 || k[n - 1] != keys[j]) {
                    k[n] = keys[j];
                    o[n] = offsets[j];
                    n++;
                }
            }
            keys = k;
            offsets = o;
            size = n;
            sorted = true;
        }
    }
}
