package org.clusterbackup.core.server;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * A delta as it arrives: the {@code Data} bytes (raw deflate) are counted and hashed as sent, and inflated
 * to a temp file holding the plain tar the synthesis reads. Closing it deletes the file; a crash leaves it
 * for start-up to sweep (no catalog row names it).
 */
final class DeltaFile implements AutoCloseable {
    private final Path file;
    private final OutputStream out;
    private final Inflater inflater = new Inflater(true);
    private final byte[] buffer = new byte[64 * 1024];
    private final MessageDigest sha256;
    private long wireSize;
    private long tarSize;

    DeltaFile(Path file) throws IOException {
        this.file = file;
        this.out = new BufferedOutputStream(Files.newOutputStream(file), 64 * 1024);
        try {
            this.sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    Path file() {
        return file;
    }

    /** Bytes of tar inflated so far: what the run's size limit applies to. */
    long tarSize() {
        return tarSize;
    }

    /**
     * One {@code Data} frame of the delta.
     *
     * @throws DataFormatException the bytes are not a deflate stream, or go on after its end
     */
    void write(byte[] bytes) throws IOException, DataFormatException {
        sha256.update(bytes);
        wireSize += bytes.length;
        if (inflater.finished()) {
            throw new DataFormatException("bytes after the end of the deflate stream");
        }
        inflater.setInput(bytes);
        while (true) {
            int n = inflater.inflate(buffer);
            if (n > 0) {
                out.write(buffer, 0, n);
                tarSize += n;
            } else if (inflater.finished() || inflater.needsInput()) {
                return;
            } else if (inflater.needsDictionary()) {
                throw new DataFormatException("the delta asks for a preset dictionary");
            }
        }
    }

    /**
     * All of it came: checks it against the agent's size and SHA-256, and that the deflate stream ended.
     *
     * @return null if it checks out, else why not
     */
    String finish(long size, String expectedSha256) throws IOException {
        out.flush();
        String actual = HexFormat.of().formatHex(sha256.digest());
        if (size != wireSize || !actual.equals(expectedSha256)) {
            return "received " + wireSize + " bytes with sha256 " + actual + ", the agent announced " + size
                    + " bytes with sha256 " + expectedSha256;
        }
        if (!inflater.finished()) {
            return "its deflate stream does not end";
        }
        return null;
    }

    @Override
    public void close() throws IOException {
        inflater.end();
        try {
            out.close();
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
