package org.clusterbackup.core.server;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.clusterbackup.core.index.IndexEntry;
import org.clusterbackup.core.index.IndexFile;
import org.clusterbackup.core.protocol.ChangePage;

/**
 * What differs between two archives of a target, from their indexes alone: paths added, removed, modified
 * (content, type or link target) or with other metadata only (mode, owner, mtime). Holds the earlier
 * index's entries while the later one streams past.
 */
final class ArchiveChanges {
    static final String ADDED = "added";
    static final String REMOVED = "removed";
    static final String MODIFIED = "modified";
    static final String METADATA = "metadata";

    private ArchiveChanges() {}

    /** The changes, in the later archive's order, then the removed paths in the earlier one's. */
    static List<ChangePage.Change> between(IndexFile before, IndexFile after) throws IOException {
        Map<String, IndexEntry> earlier = new LinkedHashMap<>();
        before.read(new IndexFile.Visitor() {
            @Override
            public boolean entry(IndexEntry e) {
                earlier.put(e.path(), e);
                return true;
            }
        });
        List<ChangePage.Change> changes = new ArrayList<>();
        after.read(new IndexFile.Visitor() {
            @Override
            public boolean entry(IndexEntry e) {
                String change = change(earlier.remove(e.path()), e);
                if (change != null) {
                    changes.add(new ChangePage.Change(e.path(), change));
                }
                return true;
            }
        });
        for (String path : earlier.keySet()) {
            changes.add(new ChangePage.Change(path, REMOVED));
        }
        return changes;
    }

    /** How {@code now} differs from {@code then} (null: it did not exist), or null if it does not. */
    static String change(IndexEntry then, IndexEntry now) {
        if (then == null) {
            return ADDED;
        }
        if (then.kind() != now.kind()
                || then.size() != now.size()
                || !Objects.equals(then.sha256(), now.sha256())
                || !Objects.equals(then.linkTarget(), now.linkTarget())) {
            return MODIFIED;
        }
        if (then.mode() != now.mode()
                || then.uid() != now.uid()
                || then.gid() != now.gid()
                || then.mtimeSeconds() != now.mtimeSeconds()
                || then.mtimeNanos() != now.mtimeNanos()
                || !Objects.equals(then.xattrs(), now.xattrs())) {
            return METADATA;
        }
        return null;
    }
}
