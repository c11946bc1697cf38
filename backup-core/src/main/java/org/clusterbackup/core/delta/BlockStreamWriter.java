package org.clusterbackup.core.delta;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Writes a {@link BlockStream}. The tar writer writes the delta's tar through it as an {@link OutputStream};
 * for a file sent as a block delta the caller brackets its content with {@link #beginFile} and
 * {@link #endFile}, describing it with the {@link DeltaOps} in between: the tar writer still writes those
 * content bytes (it counts them), and they are dropped here by their position in the tar. Adjacent copies
 * of adjacent base ranges are merged into one. {@code out} is never closed.
 */
public final class BlockStreamWriter extends OutputStream implements DeltaOps {
    private final OutputStream out;
    private final byte[] tar = new byte[64 * 1024];
    private int tarFilled;
    /** Tar bytes received; those in {@code [dropFrom, dropUntil)} are the content of a block-delta file. */
    private long position;

    private long dropFrom;
    private long dropUntil;
    private boolean inFile;
    private long fileSize;
    private long described;
    private long copyEnd;
    private long pendingStart = -1;
    private long pendingLength;
    private long files;
    private long copiedBytes;

    public BlockStreamWriter(OutputStream out) {
        this.out = out;
    }

    /** Files sent as block deltas so far. */
    public long files() {
        return files;
    }

    /** Bytes of those files described as copies of their base versions. */
    public long copiedBytes() {
        return copiedBytes;
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        while (len > 0) {
            int n;
            if (position >= dropFrom && position < dropUntil) {
                n = (int) Math.min(len, dropUntil - position);
            } else {
                n = position < dropFrom ? (int) Math.min(len, dropFrom - position) : len;
                if (inFile) {
                    throw new IllegalStateException("tar bytes outside the content of the file being described");
                }
                appendTar(b, off, n);
            }
            position += n;
            off += n;
            len -= n;
        }
    }

    /**
     * The tar writer has just written the header of a file of {@code size} bytes: its content, which it
     * writes next, is described by the ops that follow instead.
     */
    public void beginFile(String path, long size) throws IOException {
        if (inFile) {
            throw new IllegalStateException("a file is already being described");
        }
        flushTar();
        out.write(BlockStream.FILE);
        byte[] name = path.getBytes(StandardCharsets.UTF_8);
        BlockStream.writeUnsigned(out, name.length);
        out.write(name);
        BlockStream.writeUnsigned(out, size);
        inFile = true;
        fileSize = size;
        described = 0;
        copyEnd = 0;
        dropFrom = position;
        dropUntil = position + size;
    }

    @Override
    public void copy(long baseOffset, long length) throws IOException {
        checkRoom(length);
        if (pendingStart >= 0 && pendingStart + pendingLength == baseOffset) {
            pendingLength += length;
        } else {
            flushCopy();
            pendingStart = baseOffset;
            pendingLength = length;
        }
        copiedBytes += length;
    }

    @Override
    public void literal(byte[] bytes, int offset, int length) throws IOException {
        checkRoom(length);
        flushCopy();
        out.write(BlockStream.LITERAL);
        BlockStream.writeUnsigned(out, length);
        out.write(bytes, offset, length);
    }

    /** The ops cover the file; {@code sha256} is the hash of its new content. */
    public void endFile(byte[] sha256) throws IOException {
        if (!inFile || described != fileSize) {
            throw new IllegalStateException("the ops describe " + described + " of " + fileSize + " bytes");
        }
        flushCopy();
        out.write(BlockStream.OP_END);
        out.write(sha256);
        inFile = false;
        files++;
    }

    /** Sends the tar still buffered and the end of the stream; {@code out} is flushed, not closed. */
    public void finish() throws IOException {
        if (inFile) {
            throw new IllegalStateException("the stream ends inside a file");
        }
        flushTar();
        out.write(BlockStream.END);
        out.flush();
    }

    @Override
    public void flush() {
        // Records go out whole; the tar writer's flushes change nothing.
    }

    private void checkRoom(long length) {
        if (!inFile || described + length > fileSize) {
            throw new IllegalStateException("ops for " + (described + length) + " bytes of a file of " + fileSize);
        }
        described += length;
    }

    private void flushCopy() throws IOException {
        if (pendingStart >= 0) {
            out.write(BlockStream.COPY);
            BlockStream.writeSigned(out, pendingStart - copyEnd);
            BlockStream.writeUnsigned(out, pendingLength);
            copyEnd = pendingStart + pendingLength;
            pendingStart = -1;
        }
    }

    private void appendTar(byte[] b, int off, int len) throws IOException {
        while (len > 0) {
            int n = Math.min(len, tar.length - tarFilled);
            System.arraycopy(b, off, tar, tarFilled, n);
            tarFilled += n;
            off += n;
            len -= n;
            if (tarFilled == tar.length) {
                flushTar();
            }
        }
    }

    private void flushTar() throws IOException {
        if (tarFilled > 0) {
            out.write(BlockStream.TAR);
            BlockStream.writeUnsigned(out, tarFilled);
            out.write(tar, 0, tarFilled);
            tarFilled = 0;
        }
    }
}
