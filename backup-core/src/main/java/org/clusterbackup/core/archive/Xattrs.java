package org.clusterbackup.core.archive;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The extended attributes of one file or directory that an archive keeps: the {@code user.*} namespace, the
 * only one the JDK reaches ({@link UserDefinedFileAttributeView} on Linux lists and sets {@code user.*} and
 * nothing else). {@code security.*} (file capabilities, SELinux labels) and {@code system.*} (POSIX ACLs) need
 * native calls and are not archived; docs/CHANGE-DETECTION.md says so.
 *
 * <p>In the archive each attribute is a PAX record {@code SCHILY.xattr.user.NAME=VALUE}, the name GNU tar
 * ({@code --xattrs}) and bsdtar write and read. Values must be valid UTF-8: the readers the restore uses
 * decode PAX values as UTF-8, so a binary value would come back changed; such a value is left out with a
 * warning rather than restored wrong.
 *
 * @param values attribute name (with its {@code user.} prefix) to value, sorted by name
 * @param skipped names of attributes left out (binary values), for the warning
 */
record Xattrs(Map<String, String> values, List<String> skipped) {
    static final Xattrs NONE = new Xattrs(Map.of(), List.of());
    /** The PAX record key prefix GNU tar and bsdtar use. */
    static final String PAX_PREFIX = "SCHILY.xattr.";

    private static final String NAMESPACE = "user.";

    Xattrs {
        values = Collections.unmodifiableMap(new TreeMap<>(values));
        skipped = List.copyOf(skipped);
    }

    boolean isEmpty() {
        return values.isEmpty();
    }

    /**
     * Reads the {@code user.*} attributes of {@code path}, never following a symlink, and accepts them only if
     * {@code path} still leads to the file of {@code stat} (device and inode) afterwards, as {@link FileStat}
     * accepts its stat: were a directory on the path swapped for a symlink, the attributes of another file
     * would be refused. A file system without extended attributes has none.
     *
     * @throws TreeChangedException the path no longer leads to that file
     */
    static Xattrs read(Path path, FileStat stat) throws IOException {
        UserDefinedFileAttributeView view =
                Files.getFileAttributeView(path, UserDefinedFileAttributeView.class, LinkOption.NOFOLLOW_LINKS);
        if (view == null) {
            return NONE;
        }
        Map<String, String> values = new TreeMap<>();
        List<String> skipped = new ArrayList<>();
        try {
            for (String name : view.list()) {
                ByteBuffer value = ByteBuffer.allocate(view.size(name));
                view.read(name, value);
                value.flip();
                String text = utf8(value);
                if (text == null) {
                    skipped.add(NAMESPACE + name);
                } else {
                    values.put(NAMESPACE + name, text);
                }
            }
        } catch (UnsupportedOperationException e) {
            return NONE;
        } catch (IOException e) {
            if (unsupported(e)) {
                return NONE;
            }
            throw e;
        }
        Map<String, Object> now = Files.readAttributes(path, "unix:dev,ino", LinkOption.NOFOLLOW_LINKS);
        if ((Long) now.get("dev") != stat.device() || (Long) now.get("ino") != stat.inode()) {
            throw new TreeChangedException(path);
        }
        return new Xattrs(values, skipped);
    }

    /**
     * The digest the manifest and the tree digest keep: empty for no attributes, else lowercase hex SHA-256 of
     * each attribute in name order as {@code u32 length || UTF-8 name || u32 length || UTF-8 value}
     * (big-endian). The server computes the same from the archive's PAX records.
     */
    String digest() {
        return digest(values);
    }

    static String digest(Map<String, String> sorted) {
        if (sorted.isEmpty()) {
            return "";
        }
        MessageDigest sha = TreeDigest.newSha256();
        for (Map.Entry<String, String> e : new TreeMap<>(sorted).entrySet()) {
            lengthPrefixed(sha, e.getKey().getBytes(StandardCharsets.UTF_8));
            lengthPrefixed(sha, e.getValue().getBytes(StandardCharsets.UTF_8));
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    private static void lengthPrefixed(MessageDigest sha, byte[] bytes) {
        sha.update(ByteBuffer.allocate(4).putInt(bytes.length).array());
        sha.update(bytes);
    }

    private static String utf8(ByteBuffer value) {
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(value)
                    .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /** ENOTSUP / EOPNOTSUPP: the file system has no extended attributes, which is not an error. */
    private static boolean unsupported(IOException e) {
        String m = Objects.toString(e.getMessage(), "");
        return m.contains("Operation not supported") || m.contains("not supported");
    }
}
