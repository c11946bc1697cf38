package org.clusterbackup.core.archive;

import java.io.ByteArrayOutputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The header blocks of one tar entry, built byte by byte so that the same entry always gives the same bytes:
 * a POSIX ustar block, preceded by one PAX extended header ({@code typeflag 'x'}) when ustar cannot say
 * everything. Written by hand rather than by Commons Compress because the PAX records must be sorted (a
 * hash map's order is not a format), sub-second mtimes must keep all nine digits, and the records of
 * extended attributes and sparse maps are ours to choose.
 *
 * <p>PAX records, sorted by key, appear only for: {@code path} / {@code linkpath} (a name of 100 bytes or
 * more, or not ASCII), {@code size} (8 GiB or more), {@code uid} / {@code gid} (beyond 2097151), {@code mtime}
 * (before 1970, beyond the 11 octal digits, or with a fraction of a second: {@code SECONDS.FRACTION}, the
 * fraction without trailing zeros, as GNU tar writes it), and whatever {@code extra} records the caller adds
 * ({@code SCHILY.xattr.*}, {@code GNU.sparse.*}). A field that a PAX record carries is written as 0 in the
 * ustar block, a name cut to what fits. Numbers are zero-padded octal ending in NUL, as GNU tar writes them;
 * user and group names are empty (owners are numeric).
 *
 * @param name the tar name ({@code dir/} with its slash for a directory)
 * @param type the ustar typeflag: {@code '0'} file, {@code '1'} hard link, {@code '2'} symlink, {@code '5'}
 *        directory
 * @param size the bytes of data that follow the header in the tar
 * @param linkName a link's target, else empty
 * @param extra further PAX records (key to UTF-8 value)
 * @param sparseSize for a file stored in the PAX 1.0 sparse format (its data then starts with the map), the
 *        file's whole length; -1 for any other entry. The ustar block then has the name
 *        {@code GNUSparseFile.0/BASENAME} and the records {@code GNU.sparse.major=1}, {@code minor=0},
 *        {@code name} (the real name) and {@code realsize}, as GNU tar writes them (with a fixed number instead
 *        of its process id, and no {@code path} record, so readers take the name from {@code GNU.sparse.name})
 */
record TarEntryHeader(
        String name,
        char type,
        int mode,
        long size,
        long mtimeSeconds,
        int mtimeNanos,
        long uid,
        long gid,
        String linkName,
        Map<String, String> extra,
        long sparseSize) {
    static final int BLOCK = 512;
    private static final long MAX_OCTAL_7 = 07777777L;
    private static final long MAX_OCTAL_11 = 077777777777L;
    private static final int NAME_FIELD = 100;

    TarEntryHeader {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(linkName, "linkName");
        extra = Map.copyOf(extra);
        if (size < 0 || uid < 0 || gid < 0 || mtimeNanos < 0 || mtimeNanos > 999_999_999) {
            throw new IllegalArgumentException("impossible header fields for " + name);
        }
    }

    /** The header blocks: a PAX header (its own block, records, padding) if needed, then the ustar block. */
    /** An entry that is not a sparse file. */
    TarEntryHeader(
            String name,
            char type,
            int mode,
            long size,
            long mtimeSeconds,
            int mtimeNanos,
            long uid,
            long gid,
            String linkName,
            Map<String, String> extra) {
        this(name, type, mode, size, mtimeSeconds, mtimeNanos, uid, gid, linkName, extra, -1);
    }

    byte[] encode() {
        Map<String, String> pax = new TreeMap<>(extra);
        String ustarName = name;
        if (sparseSize >= 0) {
            pax.put("GNU.sparse.major", "1");
            pax.put("GNU.sparse.minor", "0");
            pax.put("GNU.sparse.name", name);
            pax.put("GNU.sparse.realsize", Long.toString(sparseSize));
            ustarName = fitted("GNUSparseFile.0/" + name.substring(name.lastIndexOf('/') + 1));
        } else if (needsPax(name)) {
            pax.put("path", name);
            ustarName = fitted(name);
        }
        if (needsPax(linkName)) {
            pax.put("linkpath", linkName);
        }
        if (size > MAX_OCTAL_11) {
            pax.put("size", Long.toString(size));
        }
        if (uid > MAX_OCTAL_7) {
            pax.put("uid", Long.toString(uid));
        }
        if (gid > MAX_OCTAL_7) {
            pax.put("gid", Long.toString(gid));
        }
        boolean mtimeFits = mtimeSeconds >= 0 && mtimeSeconds <= MAX_OCTAL_11;
        if (!mtimeFits || mtimeNanos != 0) {
            pax.put(
                    "mtime",
                    BigDecimal.valueOf(mtimeSeconds)
                            .add(BigDecimal.valueOf(mtimeNanos, 9))
                            .stripTrailingZeros()
                            .toPlainString());
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(pax.isEmpty() ? BLOCK : 3 * BLOCK);
        if (!pax.isEmpty()) {
            byte[] records = records(pax);
            long paxTime = mtimeFits ? mtimeSeconds : 0;
            out.writeBytes(ustar(fitted("./PaxHeaders/" + name), 'x', 0644, records.length, paxTime, 0, 0, ""));
            out.writeBytes(records);
            out.writeBytes(new byte[(int) (SegmentRule.padded(records.length) - records.length)]);
        }
        out.writeBytes(ustar(
                ustarName,
                type,
                mode,
                size > MAX_OCTAL_11 ? 0 : size,
                mtimeFits ? mtimeSeconds : 0,
                uid > MAX_OCTAL_7 ? 0 : uid,
                gid > MAX_OCTAL_7 ? 0 : gid,
                needsPax(linkName) ? fitted(linkName) : linkName));
        return out.toByteArray();
    }

    /** {@code "<length> <key>=<value>\n"} per record, the length counting itself. */
    static byte[] records(Map<String, String> sorted) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Map.Entry<String, String> r : sorted.entrySet()) {
            byte[] body = (" " + r.getKey() + "=" + r.getValue() + "\n").getBytes(StandardCharsets.UTF_8);
            int length = body.length + 1;
            while (Integer.toString(length).length() + body.length != length) {
                length++;
            }
            out.writeBytes(Integer.toString(length).getBytes(StandardCharsets.US_ASCII));
            out.writeBytes(body);
        }
        return out.toByteArray();
    }

    private static boolean needsPax(String s) {
        return s.length() >= NAME_FIELD
                || !s.chars().allMatch(c -> c < 0x80)
                || s.getBytes(StandardCharsets.UTF_8).length >= NAME_FIELD;
    }

    /** What the ustar field keeps of a name a PAX record carries: ASCII, at most 99 bytes. */
    private static String fitted(String s) {
        StringBuilder b = new StringBuilder(NAME_FIELD);
        for (int i = 0; i < s.length() && b.length() < NAME_FIELD - 1; i++) {
            char c = s.charAt(i);
            b.append(c < 0x80 && c != 0 ? c : '_');
        }
        return b.toString();
    }

    private static byte[] ustar(
            String name, char type, int mode, long size, long mtime, long uid, long gid, String link) {
        byte[] b = new byte[BLOCK];
        ascii(b, 0, NAME_FIELD, name);
        octal(b, 100, 8, mode);
        octal(b, 108, 8, uid);
        octal(b, 116, 8, gid);
        octal(b, 124, 12, size);
        octal(b, 136, 12, mtime);
        b[156] = (byte) type;
        ascii(b, 157, NAME_FIELD, link);
        ascii(b, 257, 6, "ustar");
        b[263] = '0';
        b[264] = '0';
        octal(b, 329, 8, 0);
        octal(b, 337, 8, 0);
        for (int i = 148; i < 156; i++) {
            b[i] = ' ';
        }
        long sum = 0;
        for (byte x : b) {
            sum += x & 0xff;
        }
        String digits = String.format("%06o", sum);
        ascii(b, 148, 6, digits);
        b[154] = 0;
        b[155] = ' ';
        return b;
    }

    private static void ascii(byte[] b, int at, int length, String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        System.arraycopy(bytes, 0, b, at, Math.min(length, bytes.length));
    }

    /** {@code length - 1} zero-padded octal digits and a NUL. */
    private static void octal(byte[] b, int at, int length, long value) {
        String digits = Long.toOctalString(value);
        int width = length - 1;
        if (digits.length() > width) {
            throw new IllegalArgumentException(value + " does not fit " + width + " octal digits");
        }
        String padded = "0".repeat(width - digits.length()) + digits;
        ascii(b, at, width, padded);
        b[at + width] = 0;
    }
}
