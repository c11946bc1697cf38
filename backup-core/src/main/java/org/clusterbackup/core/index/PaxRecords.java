package org.clusterbackup.core.index;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import org.clusterbackup.core.archive.ManifestEntry;

/**
 * The records of one PAX extended header ({@code typeflag 'x'}) that apply to the entry after it. Keys that
 * change where or what the entry is are honoured, and so are the PAX 1.0 sparse records and
 * {@code SCHILY.xattr.*} (their digest is part of the tree digest); keys that only describe it (owner names,
 * access times, libarchive's copies of attributes) are accepted and ignored; any other key is refused, since
 * reading past something we do not understand (an older sparse format's map, say) would index the wrong bytes.
 */
final class PaxRecords {
    private static final Set<String> HONOURED = Set.of(
            "path",
            "linkpath",
            "size",
            "mtime",
            "uid",
            "gid",
            "GNU.sparse.major",
            "GNU.sparse.minor",
            "GNU.sparse.name",
            "GNU.sparse.realsize");
    private static final Set<String> IGNORED = Set.of("uname", "gname", "atime", "ctime", "comment", "charset");
    private static final String XATTR = "SCHILY.xattr.";

    private final Map<String, String> values;
    private final Map<String, String> xattrs;

    private PaxRecords(Map<String, String> values, Map<String, String> xattrs) {
        this.values = values;
        this.xattrs = xattrs;
    }

    /** Parses {@code "<length> <key>=<value>\n"} records; {@code offset} is the header's, for messages. */
    static PaxRecords parse(byte[] data, int length, long offset) throws ArchiveFormatException {
        Map<String, String> values = new HashMap<>();
        Map<String, String> xattrs = new TreeMap<>();
        int at = 0;
        while (at < length) {
            int space = at;
            int recordLength = 0;
            while (space < length && data[space] >= '0' && data[space] <= '9' && space - at < 8) {
                recordLength = recordLength * 10 + (data[space] - '0');
                space++;
            }
            if (space == at
                    || space >= length
                    || data[space] != ' '
                    || recordLength <= space - at + 1
                    || at + recordLength > length
                    || data[at + recordLength - 1] != '\n') {
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
            } else if (key.startsWith(XATTR) && key.length() > XATTR.length()) {
                xattrs.put(key.substring(XATTR.length()), record.substring(eq + 1));
            } else if (!IGNORED.contains(key) && !key.startsWith("LIBARCHIVE.xattr.")) {
                throw bad(offset, "the record '" + key + "', which this server does not support");
            }
            at += recordLength;
        }
        return new PaxRecords(values, xattrs);
    }

    /** The digest of the extended attributes as the agent's manifest has it, or null if there are none. */
    String xattrsDigest() {
        String digest = ManifestEntry.xattrsDigest(xattrs);
        return digest.isEmpty() ? null : digest;
    }

    /**
     * The real name and length of a file stored in the PAX 1.0 sparse format, or null if it is not one.
     *
     * @throws ArchiveFormatException sparse records of another format version, or without name or size
     */
    Sparse sparse(long offset) throws ArchiveFormatException {
        String major = values.get("GNU.sparse.major");
        String minor = values.get("GNU.sparse.minor");
        String name = values.get("GNU.sparse.name");
        String realSize = values.get("GNU.sparse.realsize");
        if (major == null && minor == null && name == null && realSize == null) {
            return null;
        }
        if (!"1".equals(major) || !"0".equals(minor) || name == null || name.isEmpty() || realSize == null) {
            throw bad(offset, "sparse records other than the PAX 1.0 format's major, minor, name and realsize");
        }
        return new Sparse(name, number("GNU.sparse.realsize", 0, offset));
    }

    /** A sparse file's name and whole length. */
    record Sparse(String name, long realSize) {}

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
            long nanos = t.subtract(seconds)
                    .movePointRight(9)
                    .setScale(0, java.math.RoundingMode.FLOOR)
                    .longValueExact();
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
