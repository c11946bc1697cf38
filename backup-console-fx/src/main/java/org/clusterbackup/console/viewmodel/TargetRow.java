package org.clusterbackup.console.viewmodel;

import org.clusterbackup.core.model.TargetSelector;
import org.clusterbackup.core.protocol.TargetInfo;

/** A registered target in the targets table. */
public final class TargetRow extends Row<TargetInfo> {
    public TargetRow(TargetInfo info) {
        super(info.id(), info);
    }

    /** Names exactly this target, port included: node and path alone may match several. */
    public TargetSelector selector() {
        TargetInfo t = info();
        return new TargetSelector(t.node(), t.path(), t.port());
    }

    /** {@code node:port path}, as people name a target. */
    public String label() {
        return label(info());
    }

    static String label(TargetInfo t) {
        return t.node() + ":" + t.port() + " " + t.path();
    }
}
