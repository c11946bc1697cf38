package org.clusterbackup.core.restore;

import java.util.ArrayList;
import java.util.List;

/**
 * An archive entry's name as a path below the restore root. Checked lexically, before anything is
 * written: an absolute name or a {@code ..} segment refuses the archive; empty and {@code .} segments are
 * dropped, so GNU tar's {@code ./a/b} and our {@code a/b} are the same entry, and {@code ./} is the root.
 *
 * @param name the name as the archive spells it, for messages
 * @param segments the path's components below the root; empty for the root itself
 */
record EntryPath(String name, List<String> segments) {

    EntryPath {
        segments = List.copyOf(segments);
    }

    static EntryPath parse(String name) throws UnsafeArchiveException {
        if (name.startsWith("/")) {
            throw new UnsafeArchiveException(name, "its name is an absolute path");
        }
        List<String> segments = new ArrayList<>();
        for (String segment : name.split("/")) {
            if (segment.equals("..")) {
                throw new UnsafeArchiveException(name, "its name has a '..' segment");
            }
            if (!segment.isEmpty() && !segment.equals(".")) {
                segments.add(segment);
            }
        }
        return new EntryPath(name, segments);
    }

    boolean isRoot() {
        return segments.isEmpty();
    }

    /** The path relative to the root, '/'-separated; empty for the root. */
    String relative() {
        return String.join("/", segments);
    }

    /**
     * Refuses a symlink at this path whose target could lead outside the root when followed: an absolute
     * target; more leading {@code ..} than the link has directories above it; or a {@code ..} after a name.
     * The last rule is stricter than resolving {@code a/../b} lexically, and what makes the check sound:
     * with every {@code ..} leading, the climb goes up through real directories (no entry is ever written
     * through a symlink), and whatever is descended into afterwards was itself checked by these rules, so no
     * chain of links inside the tree can climb out of it.
     */
    void checkSymlinkTarget(String target) throws UnsafeArchiveException {
        if (target.isEmpty()) {
            throw new UnsafeArchiveException(name, "symlink with an empty target");
        }
        if (target.startsWith("/")) {
            throw new UnsafeArchiveException(name, "symlink to the absolute path '" + target + "'");
        }
        int up = 0;
        boolean descended = false;
        for (String segment : target.split("/")) {
            if (segment.equals("..")) {
                if (descended) {
                    throw new UnsafeArchiveException(
                            name,
                            "symlink to '" + target
                                    + "', which has a '..' after a name and could lead out through another symlink");
                }
                up++;
            } else if (!segment.isEmpty() && !segment.equals(".")) {
                descended = true;
            }
        }
        if (up > segments.size() - 1) {
            throw new UnsafeArchiveException(
                    name, "symlink to '" + target + "', which leads outside the target" + " directory");
        }
    }
}
