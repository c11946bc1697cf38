package org.clusterbackup.console.viewmodel;

import org.clusterbackup.core.protocol.ArchiveInfo;

/** A backup archive of the selected target. */
public final class ArchiveRow extends Row<ArchiveInfo> {
    public ArchiveRow(ArchiveInfo info) {
        super(info.id(), info);
    }

    /** {@code stored}, {@code pruned} (removed by retention) or {@code corrupt} (damaged, found by verify). */
    public static String state(ArchiveInfo a) {
        return a.corrupt() ? "corrupt" : a.stored() ? "stored" : "pruned";
    }
}
