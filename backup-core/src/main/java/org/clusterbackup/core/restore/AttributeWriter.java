package org.clusterbackup.core.restore;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.UserDefinedFileAttributeView;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.clusterbackup.core.fs.IoReasons;

/**
 * Sets an entry's owner, mode and mtime once it is written, and keeps the warnings about what could not be
 * set as the archive says. setuid and setgid bits are kept only when the agent was told to
 * ({@code --restore-setid}): a restore run as root would otherwise hand any local user who can read the
 * restored tree a setuid-root binary. Dropped bits are counted, and the first few entries named.
 *
 * <p>Paths used here lie inside the restore's private staging directory (mode 0700, in a parent no other
 * user may write), so no other user can swap any directory on them.
 */
final class AttributeWriter {
    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;
    private static final int SETID = 06000;
    private static final int NAMED = 5;
    private static final String USER = "user.";

    private final boolean restoreOwners;
    private final boolean restoreSetid;
    private final List<String> warnings = new ArrayList<>();
    private final List<String> setidNames = new ArrayList<>();
    private long setidDropped;

    AttributeWriter(boolean restoreOwners, boolean restoreSetid) {
        this.restoreOwners = restoreOwners;
        this.restoreSetid = restoreSetid;
    }

    /** Sets owner (as root), mode and mtime on a file or directory. */
    void apply(Path path, StagingTree.Attributes a, String name) throws IOException {
        if (restoreOwners) {
            owner(path, a, name); // first: chown clears setuid and setgid bits
        }
        // Before the mode: writing user.* attributes needs write permission, which a read-only mode would take.
        xattrs(path, a, name);
        int mode = a.mode();
        if (!restoreSetid && (mode & SETID) != 0) {
            mode &= ~SETID;
            if (setidNames.size() < NAMED) {
                setidNames.add(name);
            }
            setidDropped++;
        }
        Files.setAttribute(path, "unix:mode", mode, NOFOLLOW);
        Files.getFileAttributeView(path, BasicFileAttributeView.class, NOFOLLOW).setTimes(a.mtime(), null, null);
    }

    /** Sets the owner (as root) of a symlink, and its time where the system can. */
    void applyToSymlink(Path link, StagingTree.Attributes a, String name) {
        if (restoreOwners) {
            owner(link, a, name);
        }
        try {
            Files.getFileAttributeView(link, BasicFileAttributeView.class, NOFOLLOW)
                    .setTimes(a.mtime(), null, null);
        } catch (IOException | UnsupportedOperationException e) {
            // A symlink's own time is cosmetic, and not every system can set it (lutimes): not worth a warning.
        }
    }

    /**
     * Sets the entry's {@code user.*} extended attributes, the namespace the JDK reaches; others ({@code
     * security.*}, {@code system.*}, {@code trusted.*}) and any the file system refuses become one warning.
     */
    private void xattrs(Path path, StagingTree.Attributes a, String name) {
        if (a.xattrs().isEmpty()) {
            return;
        }
        UserDefinedFileAttributeView view =
                Files.getFileAttributeView(path, UserDefinedFileAttributeView.class, NOFOLLOW);
        List<String> notSet = new ArrayList<>();
        String reason = null;
        for (Map.Entry<String, String> x : a.xattrs().entrySet()) {
            if (!x.getKey().startsWith(USER) || view == null) {
                notSet.add(x.getKey());
                reason = view == null ? "the file system keeps none" : "only user.* attributes can be set";
                continue;
            }
            try {
                view.write(
                        x.getKey().substring(USER.length()),
                        ByteBuffer.wrap(x.getValue().getBytes(StandardCharsets.UTF_8)));
            } catch (IOException | UnsupportedOperationException e) {
                notSet.add(x.getKey());
                reason = e instanceof IOException io ? IoReasons.reason(io) : "the file system keeps none";
            }
        }
        if (!notSet.isEmpty()) {
            warnings.add("could not restore extended attribute" + (notSet.size() == 1 ? " " : "s ")
                    + String.join(", ", notSet) + " of " + name + ": " + reason);
        }
    }

    void warn(String line) {
        warnings.add(line);
    }

    long setidDropped() {
        return setidDropped;
    }

    /** The warnings, the count of dropped setuid/setgid bits last. */
    List<String> warnings() {
        List<String> all = new ArrayList<>(warnings);
        if (setidDropped > 0) {
            all.add("setuid/setgid bits dropped from " + setidDropped + (setidDropped == 1 ? " entry" : " entries")
                    + " (" + String.join(", ", setidNames) + (setidDropped > NAMED ? ", …" : "")
                    + "); the agent restores them only with --restore-setid");
        }
        return all;
    }

    private void owner(Path path, StagingTree.Attributes a, String name) {
        try {
            Files.setAttribute(path, "unix:uid", (int) a.uid(), NOFOLLOW);
            Files.setAttribute(path, "unix:gid", (int) a.gid(), NOFOLLOW);
        } catch (IOException e) {
            warnings.add(
                    "could not restore owner " + a.uid() + ":" + a.gid() + " of " + name + ": " + IoReasons.reason(e));
        }
    }
}
