package org.clusterbackup.core.delta;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Reads a {@link BlockStream}, one record and one op at a time, checking its structure: kinds, numbers and
 * names within bounds, copies at offsets that exist. What the ops mean against a base is for the caller.
 * Memory is one name and one buffer, whatever the stream holds. Not thread-safe.
 */
public final class BlockStreamReader {
    /** Longest name accepted (the index's bound on names). */
    static final int MAX_NAME = 64 * 1024;

    private final InputStream in;
    private final byte[] buffer = new byte[64 * 1024];
    private long length;
    private String path;
    private long size;
    private long copyOffset;
    private long copyEnd;
    private boolean ended;

    public BlockStreamReader(InputStream in) {
        this.in = in;
    }

    /**
     * The next record's kind: {@link BlockStream#TAR} (then {@link #length()} bytes to {@link #copyTar} or
     * {@link #skip}), {@link BlockStream#FILE} (then {@link #path()}, {@link #size()} and ops by
     * {@link #nextOp()}), or {@link BlockStream#END}, after which nothing may follow.
     */
    public int next() throws IOException, MalformedDeltaException {
        if (ended) {
            throw new IllegalStateException("the stream has ended");
        }
        int kind = in.read();
        switch (kind) {
            case BlockStream.END -> {
                ended = true;
                if (in.read() >= 0) {
                    throw new MalformedDeltaException("bytes after the end of the block delta");
                }
            }
            case BlockStream.TAR -> length = count("a tar record's length");
            case BlockStream.FILE -> {
                path = name();
                size = count("a file's size");
                copyEnd = 0;
            }
            case -1 -> throw new EOFException("the block delta ends without its end mark");
            default -> throw new MalformedDeltaException("unknown record kind " + kind);
        }
        return kind;
    }

    /** Bytes of the current TAR record, or of the current LITERAL op. */
    public long length() {
        return length;
    }

    /** The current FILE's name, as the index names it. */
    public String path() {
        return path;
    }

    /** The current FILE's new size. */
    public long size() {
        return size;
    }

    /**
     * The current FILE's next op: {@link BlockStream#COPY} ({@link #copyOffset()}, {@link #length()}),
     * {@link BlockStream#LITERAL} ({@link #length()} bytes to {@link #copyTar} or {@link #skip}) or
     * {@link BlockStream#OP_END} (then {@link #sha256()}).
     */
    public int nextOp() throws IOException, MalformedDeltaException {
        int op = in.read();
        switch (op) {
            case BlockStream.OP_END -> {
                // the caller reads the hash
            }
            case BlockStream.COPY -> {
                long offset = copyEnd + BlockStream.readSigned(in);
                length = count("a copy's length");
                if (offset < 0 || offset + length < 0) {
                    throw new MalformedDeltaException("a copy of " + path + " from offset " + offset);
                }
                copyOffset = offset;
                copyEnd = offset + length;
            }
            case BlockStream.LITERAL -> length = count("a literal's length");
            case -1 -> throw new EOFException("the block delta ends inside the ops of " + path);
            default -> throw new MalformedDeltaException("unknown op " + op + " in " + path);
        }
        return op;
    }

    /** Where the current COPY starts in the base version. */
    public long copyOffset() {
        return copyOffset;
    }

    /** The new content's SHA-256, after {@link BlockStream#OP_END}. */
    public byte[] sha256() throws IOException {
        byte[] hash = in.readNBytes(32);
        if (hash.length != 32) {
            throw new EOFException("the block delta ends inside the hash of " + path);
        }
        return hash;
    }

    /** Copies the {@link #length()} bytes of the current TAR record or LITERAL op to {@code out}. */
    public void copyTar(OutputStream out) throws IOException {
        long left = length;
        while (left > 0) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
            if (n < 0) {
                throw new EOFException("the block delta ends inside a record");
            }
            out.write(buffer, 0, n);
            left -= n;
        }
    }

    /** Skips the {@link #length()} bytes of the current TAR record or LITERAL op. */
    public void skip() throws IOException {
        in.skipNBytes(length);
    }

    private long count(String what) throws IOException, MalformedDeltaException {
        long v = BlockStream.readUnsigned(in);
        if (v < 0) {
            throw new MalformedDeltaException(what + " beyond 2^63");
        }
        return v;
    }

    private String name() throws IOException, MalformedDeltaException {
        long n = count("a name's length");
        if (n == 0 || n > MAX_NAME) {
            throw new MalformedDeltaException("a name of " + n + " bytes");
        }
        byte[] b = in.readNBytes((int) n);
        if (b.length != n) {
            throw new EOFException("the block delta ends inside a name");
        }
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(b))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new MalformedDeltaException("a name that is not UTF-8");
        }
    }
}
