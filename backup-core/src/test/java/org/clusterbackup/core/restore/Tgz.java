package org.clusterbackup.core.restore;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.attribute.FileTime;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Writes {@code .tar.gz} archives entry by entry, exactly as told: absolute names, {@code ..}, escaping
 * links, devices. Hostile archives are easier to state here than to coax out of GNU tar.
 */
final class Tgz {
    static final long MTIME = 1_700_000_000L;

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final GZIPOutputStream gzip;
    private final TarArchiveOutputStream tar;

    private Tgz() {
        try {
            gzip = new GZIPOutputStream(bytes);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        tar = new TarArchiveOutputStream(gzip, StandardCharsets.UTF_8.name());
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    }

    static Tgz archive() {
        return new Tgz();
    }

    Tgz dir(String name, int mode) {
        return put(entry(name, TarConstants.LF_DIR, mode), null);
    }

    Tgz file(String name, String content) {
        return file(name, 0644, content);
    }

    Tgz file(String name, int mode, String content) {
        return file(name, mode, 0, 0, content);
    }

    Tgz file(String name, int mode, long uid, long gid, String content) {
        TarArchiveEntry e = entry(name, TarConstants.LF_NORMAL, mode);
        e.setUserId(uid);
        e.setGroupId(gid);
        return put(e, content.getBytes(StandardCharsets.UTF_8));
    }

    Tgz symlink(String name, String target) {
        TarArchiveEntry e = entry(name, TarConstants.LF_SYMLINK, 0777);
        e.setLinkName(target);
        return put(e, null);
    }

    Tgz hardLink(String name, String target) {
        TarArchiveEntry e = entry(name, TarConstants.LF_LINK, 0644);
        e.setLinkName(target);
        return put(e, null);
    }

    /** A device, fifo or other entry without content, by its tar type flag. */
    Tgz special(String name, byte flag) {
        TarArchiveEntry e = entry(name, flag, 0644);
        if (flag == TarConstants.LF_CHR || flag == TarConstants.LF_BLK) {
            e.setDevMajor(1);
            e.setDevMinor(3);
        }
        return put(e, null);
    }

    byte[] bytes() {
        try {
            tar.finish();
            gzip.finish();
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The first {@code length} bytes of a whole archive: a stream cut off there. */
    static byte[] cut(byte[] whole, int length) {
        return Arrays.copyOf(whole, length);
    }

    private static TarArchiveEntry entry(String name, byte flag, int mode) {
        TarArchiveEntry e = new TarArchiveEntry(name, flag, true); // true: keep a leading '/'
        e.setMode(mode);
        e.setLastModifiedTime(FileTime.from(MTIME, TimeUnit.SECONDS));
        e.setUserName("");
        e.setGroupName("");
        return e;
    }

    private Tgz put(TarArchiveEntry e, byte[] content) {
        try {
            if (content != null) {
                e.setSize(content.length);
            }
            tar.putArchiveEntry(e);
            if (content != null) {
                tar.write(content);
            }
            tar.closeArchiveEntry();
            return this;
        } catch (IOException x) {
            throw new UncheckedIOException(x);
        }
    }
}
