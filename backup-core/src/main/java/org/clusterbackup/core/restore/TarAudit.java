package org.clusterbackup.core.restore;

import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * A second, minimal reading of the tar stream as it passes to Commons Compress, block by block, that refuses
 * what tar readers can read differently, so the extractor never restores what {@code tar -tvzf} would not
 * show (or shows otherwise):
 * <ul>
 * <li>anything but zeros after the first end-of-archive block: GNU tar stops reading there;</li>
 * <li>a PAX header that gives one keyword two values, or a global PAX header that sets a name or size;</li>
 * <li>a GNU long name ({@code L}, {@code K}) and a PAX {@code path} or {@code linkpath} for the same entry
 *     that disagree;</li>
 * <li>a link, directory, device or fifo entry with data, which readers skip differently.</li>
 * </ul>
 * Repeated names are handled by the extractor itself (see {@link StagingTree}). Memory: one block and the
 * pending extended header (bounded), whatever the archive's size.
 */
final class TarAudit extends FilterInputStream {
    private static final int BLOCK = 512;
    /** Extended headers larger than this are refused; Commons Compress has its own, similar bound. */
    private static final int MAX_EXTENDED = 1 << 20;

    /** What the audit refuses; the extractor turns it into an {@link UnsafeArchiveException}. */
    static final class Conflict extends IOException {
        Conflict(String reason) {
            super(reason);
        }
    }

    private final byte[] block = new byte[BLOCK];
    private int filled;
    private long dataLeft;
    private long collectLeft;
    private ByteArrayOutputStream collected;
    private char collecting;
    private boolean sparseExtensions;
    private boolean ended;
    private Map<String, String> pax = new HashMap<>();
    private String longName;
    private String longLink;

    TarAudit(InputStream in) {
        super(in);
    }

    @Override
    public int read() throws IOException {
        int b = in.read();
        if (b >= 0) {
            take(new byte[] {(byte) b}, 0, 1);
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = in.read(b, off, len);
        for (int i = 0; i < n; ) {
            i += take(b, off + i, n - i);
        }
        return n;
    }

    @Override
    public long skip(long n) throws IOException {
        // Every byte must pass the audit: skipping reads.
        byte[] buffer = new byte[(int) Math.min(n, 8192)];
        int got = read(buffer, 0, buffer.length);
        return Math.max(got, 0);
    }

    @Override
    public boolean markSupported() {
        return false;
    }

    /** Consumes up to {@code length} bytes; returns how many. */
    private int take(byte[] b, int off, int length) throws IOException {
        if (dataLeft > 0) {
            int n = (int) Math.min(dataLeft, length);
            if (collected != null && collectLeft > 0) {
                int keep = (int) Math.min(collectLeft, n);
                collected.write(b, off, keep);
                collectLeft -= keep;
            }
            dataLeft -= n;
            if (dataLeft == 0 && collected != null) {
                extendedHeaderDone();
            }
            return n;
        }
        int n = Math.min(BLOCK - filled, length);
        System.arraycopy(b, off, block, filled, n);
        filled += n;
        if (filled == BLOCK) {
            filled = 0;
            onBlock();
        }
        return n;
    }

    private void onBlock() throws IOException {
        boolean zeros = isZeros();
        if (ended) {
            if (!zeros) {
                throw new Conflict("it has data after the end-of-archive blocks, where GNU tar stops reading");
            }
            return;
        }
        if (sparseExtensions) {
            sparseExtensions = block[504] != 0; // old GNU sparse: extension blocks until one says no more
            return;
        }
        if (zeros) {
            ended = true;
            return;
        }
        char type = (char) block[156];
        long size = size();
        switch (type) {
            case 'x', 'g', 'L', 'K' -> collect(type, size);
            default -> entry(type, size);
        }
    }

    private void collect(char type, long size) throws Conflict {
        if (size > MAX_EXTENDED) {
            throw new Conflict("an extended header of " + size + " bytes");
        }
        collecting = type;
        collected = new ByteArrayOutputStream((int) size);
        collectLeft = size;
        dataLeft = padded(size);
        if (dataLeft == 0) {
            extendedHeaderDone();
        }
    }

    private void entry(char type, long headerSize) throws Conflict {
        String paxPath = pax.get("path");
        if (paxPath != null && longName != null && !paxPath.equals(longName)) {
            throw new Conflict("a GNU long name '" + longName + "' and a PAX path '" + paxPath + "' for one entry");
        }
        String paxLink = pax.get("linkpath");
        if (paxLink != null && longLink != null && !paxLink.equals(longLink)) {
            throw new Conflict("a GNU long link '" + longLink + "' and a PAX linkpath '" + paxLink + "' for one entry");
        }
        long size = headerSize;
        if (pax.containsKey("size")) {
            try {
                size = Long.parseLong(pax.get("size"));
            } catch (NumberFormatException e) {
                throw new Conflict("a PAX size '" + pax.get("size") + "'");
            }
        }
        if ("123456".indexOf(type) >= 0 && size != 0) {
            throw new Conflict("a link, directory, device or fifo entry with " + size + " bytes of data");
        }
        sparseExtensions = type == 'S' && block[482] != 0;
        pax = new HashMap<>();
        longName = null;
        longLink = null;
        dataLeft = padded(size);
    }

    private void extendedHeaderDone() throws Conflict {
        String text = collected.toString(StandardCharsets.UTF_8);
        collected = null;
        switch (collecting) {
            case 'L' -> longName = cString(text);
            case 'K' -> longLink = cString(text);
            case 'g' -> {
                Map<String, String> global = records(text);
                for (String key : new String[] {"path", "linkpath", "size"}) {
                    if (global.containsKey(key)) {
                        throw new Conflict("a global PAX header that sets '" + key + "' for every entry after it");
                    }
                }
            }
            default -> {
                for (Map.Entry<String, String> r : records(text).entrySet()) {
                    pax.put(r.getKey(), r.getValue());
                }
            }
        }
    }

    /** PAX records ({@code "<length> key=value\n"}), refusing a keyword given two different values. */
    private static Map<String, String> records(String text) throws Conflict {
        Map<String, String> records = new HashMap<>();
        int at = 0;
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        while (at < bytes.length) {
            int space = indexOf(bytes, (byte) ' ', at);
            if (space < 0) {
                break; // malformed: Commons Compress refuses it
            }
            int length;
            try {
                length = Integer.parseInt(new String(bytes, at, space - at, StandardCharsets.US_ASCII));
            } catch (NumberFormatException e) {
                break;
            }
            if (length <= space - at || at + length > bytes.length) {
                break;
            }
            String record = new String(bytes, space + 1, at + length - space - 2, StandardCharsets.UTF_8);
            int eq = record.indexOf('=');
            if (eq > 0) {
                String key = record.substring(0, eq);
                String value = record.substring(eq + 1);
                String before = records.put(key, value);
                if (before != null && !before.equals(value)) {
                    throw new Conflict("a PAX header that gives '" + key + "' two values ('" + before + "', '" + value
                            + "'), which tar readers pick between differently");
                }
            }
            at += length;
        }
        return records;
    }

    /** The header's size field: octal digits (NUL- or space-padded), or GNU's base-256 for large sizes. */
    private long size() throws Conflict {
        if ((block[124] & 0x80) != 0) {
            long size = block[124] & 0x7F;
            for (int i = 125; i < 136; i++) {
                if (size > (Long.MAX_VALUE >> 8)) {
                    throw new Conflict("a size beyond what a long holds");
                }
                size = (size << 8) | (block[i] & 0xFF);
            }
            return size;
        }
        long size = 0;
        for (int i = 124; i < 136; i++) {
            byte c = block[i];
            if (c == 0 || c == ' ') {
                continue;
            }
            if (c < '0' || c > '7') {
                throw new Conflict("a malformed size field");
            }
            size = size * 8 + (c - '0');
        }
        return size;
    }

    private boolean isZeros() {
        for (byte b : block) {
            if (b != 0) {
                return false;
            }
        }
        return true;
    }

    private static long padded(long size) {
        return (size + BLOCK - 1) / BLOCK * BLOCK;
    }

    private static String cString(String s) {
        int nul = s.indexOf('\0');
        return nul < 0 ? s : s.substring(0, nul);
    }

    private static int indexOf(byte[] bytes, byte b, int from) {
        for (int i = from; i < bytes.length; i++) {
            if (bytes[i] == b) {
                return i;
            }
        }
        return -1;
    }
}
