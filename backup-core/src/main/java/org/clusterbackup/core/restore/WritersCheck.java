package org.clusterbackup.core.restore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Whether anyone but root and the agent's own user could rename or replace a directory on the way to a
 * restore's target. Such a user could swap the staging directory for a symlink while a root agent writes
 * into it. Every directory from {@code /} to the target's parent must be owned by root or the agent, and
 * writable by no group or others, unless it is sticky (like {@code /tmp}) and the next directory on the way
 * is root's or the agent's own (or, for the target, absent: the agent makes it): in a sticky directory only
 * an entry's owner may rename it.
 */
final class WritersCheck {
    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;
    private static final int STICKY = 01000;
    private static final int GROUP_OR_OTHER_WRITE = 0022;

    private final long agentUid;

    WritersCheck(long agentUid) {
        this.agentUid = agentUid;
    }

    /** The effective uid of this process: {@code /proc/self} belongs to it (the JDK offers no geteuid()). */
    static long effectiveUid() throws IOException {
        return Integer.toUnsignedLong((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
    }

    /**
     * The first reason the way to {@code target} (a real path, whose parent exists) is unsafe, as the start
     * of a sentence ("/srv is writable by group or others"), or null when it is safe.
     */
    String unsafeWay(Path target) throws IOException {
        Path dir = target.getRoot();
        for (Path next : target) {
            Map<String, Object> a = Files.readAttributes(dir, "unix:mode,uid", NOFOLLOW);
            long owner = Integer.toUnsignedLong((Integer) a.get("uid"));
            int mode = (Integer) a.get("mode");
            Path child = dir.resolve(next);
            if (!trusted(owner)) {
                return dir + " belongs to user " + owner;
            }
            if ((mode & GROUP_OR_OTHER_WRITE) != 0 && !((mode & STICKY) != 0 && ours(child))) {
                return dir + " is writable by " + ((mode & 0002) != 0 ? "others" : "its group")
                        + ((mode & STICKY) != 0 ? " and " + child + " is not the agent's own" : "");
            }
            dir = child;
        }
        return null;
    }

    private boolean trusted(long uid) {
        return uid == 0 || uid == agentUid;
    }

    private boolean ours(Path path) throws IOException {
        try {
            return trusted(Integer.toUnsignedLong((Integer) Files.getAttribute(path, "unix:uid", NOFOLLOW)));
        } catch (NoSuchFileException e) {
            return true; // the target itself, which the agent makes
        }
    }
}
