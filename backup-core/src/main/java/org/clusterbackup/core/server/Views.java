package org.clusterbackup.core.server;

import org.clusterbackup.core.catalog.Archive;
import org.clusterbackup.core.catalog.Execution;
import org.clusterbackup.core.catalog.ServerRecord;
import org.clusterbackup.core.catalog.Target;
import org.clusterbackup.core.protocol.ArchiveInfo;
import org.clusterbackup.core.protocol.ExecutionInfo;
import org.clusterbackup.core.protocol.ServerInfo;
import org.clusterbackup.core.protocol.TargetInfo;
import org.clusterbackup.core.store.ArchiveStore;

/** Catalog rows as the control plane shows them. */
final class Views {
    private Views() {}

    /** The registration alone, without its schedule (register and unregister answer this). */
    static TargetInfo target(Target t) {
        return new TargetInfo(t.id(), t.node(), t.port(), t.path(), t.everySeconds(), t.registeredAt());
    }

    static ExecutionInfo execution(Execution e) {
        return new ExecutionInfo(
                e.id(),
                e.targetId(),
                e.node(),
                e.port(),
                e.path(),
                e.startedAt(),
                e.finishedAt(),
                e.outcome(),
                e.bytesReceived(),
                e.archiveId(),
                e.files(),
                e.error(),
                e.warnings(),
                e.transfer(),
                e.failureKind());
    }

    static ServerInfo server(ServerRecord s) {
        return new ServerInfo(s.name(), s.address(), s.targets(), s.heartbeatAt());
    }

    static ArchiveInfo archive(Archive a, ArchiveStore store) {
        return new ArchiveInfo(
                a.id(),
                a.createdAt(),
                a.sizeBytes(),
                a.files(),
                a.sha256(),
                a.stored(),
                a.stored() ? store.resolve(a.fileName()).toString() : null,
                a.corrupt());
    }
}
