package org.clusterbackup.core.archive;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;

/**
 * Run by {@link LargeFileTest} in a JVM with a small heap: scans and writes a tree into a stream that
 * keeps nothing but counts, inflating on the fly to read back the first tar headers. Prints one line of
 * {@code key=value} pairs.
 */
public final class LargeFileProbe {
    private LargeFileProbe() {}

    public static void main(String[] args) throws IOException {
        // The file is one hole, which is what costs no disk here: stored whole (no sparse map) and in whole-second
        // times (no PAX header), its data streams through and the second block is its own header.
        TreeArchiver archiver = new TreeArchiver(
                ArchiveOptions.defaults().withGzipLevel(1).withFidelity(new Fidelity(true, true, false, false)));
        TreeScan scan = archiver.scan(Path.of(args[0]), StatCache.empty());
        InflatingCounter sink = new InflatingCounter();
        ArchiveSummary summary = archiver.write(scan, StatCache.empty(), sink);
        byte[] head = sink.head;
        // The second 512-byte record is the first file's header: its size field is 12 octal digits at 124.
        String name = new String(head, 512, 100, StandardCharsets.UTF_8).replace("\0", "");
        String size = new String(head, 512 + 124, 12, StandardCharsets.US_ASCII)
                .replace("\0", "")
                .trim();
        System.out.println("maxHeap=" + Runtime.getRuntime().maxMemory() + " files=" + summary.files()
                + " scanSize=" + scan.entries().get(1).size() + " name=" + name + " headerSize="
                + Long.parseLong(size, 8)
                + " compressed=" + sink.compressed + " tar=" + sink.inflated + " finished=" + sink.inflater.finished()
                + " warnings=" + summary.warnings().size());
    }

    /** Counts gzip bytes and what they inflate to; keeps only the first 1024 inflated bytes. */
    private static final class InflatingCounter extends OutputStream {
        private static final int GZIP_HEADER = 10; // ours has no optional fields

        final Inflater inflater = new Inflater(true);
        final byte[] head = new byte[1024];
        private final byte[] out = new byte[64 * 1024];
        long compressed;
        long inflated;

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            long before = compressed;
            compressed += len;
            if (before < GZIP_HEADER) {
                int skip = (int) Math.min(len, GZIP_HEADER - before);
                off += skip;
                len -= skip;
            }
            if (len == 0 || inflater.finished()) {
                return; // the 8-byte gzip trailer
            }
            inflater.setInput(b, off, len);
            try {
                while (!inflater.needsInput() && !inflater.finished()) {
                    int n = inflater.inflate(out);
                    if (inflated < head.length) {
                        System.arraycopy(out, 0, head, (int) inflated, (int) Math.min(n, head.length - inflated));
                    }
                    inflated += n;
                }
            } catch (DataFormatException e) {
                throw new IOException("not a deflate stream", e);
            }
        }
    }
}
