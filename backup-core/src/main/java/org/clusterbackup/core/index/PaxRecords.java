package org.clusterbackup.core.index;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * The records of one PAX extended header ({@code typeflag 'x'}) that apply to the entry after it. Keys that
 * change where or what the entry is are honoured; keys that only describe it (owner names, access times,
 * extended attributes) are accepted and ignored; any other key is refused, since reading past something we
 * do not understand (a sparse map, say) would index the wrong bytes.
 */
final class PaxRecords {
    private static final Set<String> HONOURED = Set.of("path", "linkpath", "size", "mtime", "uid", "gid");
    private static final Set<String> IGNORED = Set.of("uname", "gname", "atime", "ctime", "comment", "charset");

    private final Map<String, String> values;

    private PaxRecords(Map<String, String> values) {
        this.values = values;
    }

    /** Parses {@code "<length> <key>=<value>\n"} records; {@code offset} is the header's, for messages. */
    static PaxRecords parse(byte[] data, int length, long offset) throws ArchiveFormatException {
        Map<String, String> values = new HashMap<>();
        int at = 0;
        while (at < length) {
            int space = at;
            int recordLength = 0;
            while (space < length && data[space] >= '0' && data[space] <= '9' && space - at < 8) {
                recordLength = recordLength * 10 + (data[space] - '0');
                space++;
            }
            if (space == at || space >= length || data[space] != ' ' || recordLength <= space - at + 1
                    || at + recordLength > length || data[at + recordLength - 1] != '\n') {
                throw bad(offset, "a malformed record at byte " + at);
            }
            String record = new String(data, space + 1, at + recordLength - space - 2, StandardCharsets.UTF_8);
            int eq = record.indexOf('=');
            if (eq <= 0) {
                throw bad(offset, "a record without key=value at byte " + at);
            }
            String key = record.substring(0, eq);
            if (HONOURED.contains(key)) {
                values.put(key, record.substring(eq + 1));
            } else if (!IGNORED.contains(key) && !key.startsWith("SCHILY.xattr.") && !key.startsWith("LIBARCHIVE.xattr.")) {
                throw bad(offset, "the record '" + key + "', which this server does not support");
            }
            at += recordLength;
        }
        return new PaxRecords(values);
    }

    String path(String otherwise) {
        return values.getOrDefault("path", otherwise);
    }

    String linkPath(String otherwise) {
        return values.getOrDefault("linkpath", otherwise);
    }

    long size(long otherwise, long offset) throws ArchiveFormatException {
        return number("size", otherwise, offset);
    }

    long uid(long otherwise, long offset) throws ArchiveFormatException {
        return number("uid", otherwise, offset);
    }

    long gid(long otherwise, long offset) throws ArchiveFormatException {
        return number("gid", otherwise, offset);
    }

    /** @return {seconds, nanos}; the fraction of a PAX mtime is kept to the nanosecond */
    long[] mtime(long otherwiseSeconds, long offset) throws ArchiveFormatException {
        String v = values.get("mtime");
        if (v == null) {
            return new long[] {otherwiseSeconds, 0};
        }
        try {
            BigDecimal t = new BigDecimal(v);
            BigDecimal seconds = t.setScale(0, java.math.RoundingMode.FLOOR);
            long nanos = t.subtract(seconds).movePointRight(9).setScale(0, java.math.RoundingMode.FLOOR).longValueExact();
            return new long[] {seconds.longValueExact(), nanos};
        } catch (ArithmeticException | NumberFormatException e) {
            throw bad(offset, "an mtime record that is not a time: " + v);
        }
    }

    private long number(String key, long otherwise, long offset) throws ArchiveFormatException {
        String v = values.get(key);
        if (v == null) {
            return otherwise;
        }
        try {
            long n = Long.parseLong(v);
            if (n < 0) {
                throw new NumberFormatException("negative");
            }
            return n;
        } catch (NumberFormatException e) {
            throw bad(offset, "a " + key + " record that is not a number: " + v);
        }
    }

    private static ArchiveFormatException bad(long offset, String what) {
        return new ArchiveFormatException("the PAX header at tar offset " + offset + " has " + what);
    }
}
