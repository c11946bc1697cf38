package org.clusterbackup.console.viewmodel;

import java.io.IOException;
import java.util.List;
import org.clusterbackup.console.service.ServerGateway;
import org.clusterbackup.core.client.TargetChanges;
import org.clusterbackup.core.model.TargetSelector;
import org.clusterbackup.core.net.RemoteErrorException;
import org.clusterbackup.core.protocol.ArchiveInfo;
import org.clusterbackup.core.protocol.ExecutionInfo;
import org.clusterbackup.core.protocol.TargetCursor;

/**
 * What one refresh fetched: the targets that changed since the last one, the selected target's archives and
 * the newest page of the log.
 *
 * @param selected the target the archives (and, if {@code logOfSelected}, the log) belong to, or null
 * @param logOfSelected whether the log is the selected target's, not all targets'
 */
record Snapshot(
        TargetChanges targets,
        TargetSelector selected,
        List<ArchiveInfo> archives,
        boolean logOfSelected,
        List<ExecutionInfo> log) {

    /** Asks the server; runs in the background. */
    static Snapshot take(
            ServerGateway gateway,
            TargetCursor since,
            List<Long> recheck,
            TargetSelector selected,
            boolean logOfSelected,
            int logPage)
            throws IOException {
        TargetChanges targets = gateway.targetChanges(since, recheck);
        List<ArchiveInfo> archives = List.of();
        TargetSelector logOf = logOfSelected ? selected : null;
        List<ExecutionInfo> log = List.of();
        try {
            if (selected != null) {
                archives = gateway.backups(selected);
            }
            log = gateway.logPage(logOf, logPage, null);
        } catch (RemoteErrorException e) {
            // The selected target was unregistered meanwhile; the target list above already shows it gone.
        }
        return new Snapshot(targets, selected, archives, logOf != null, log);
    }
}
