package org.clusterbackup.console.viewmodel;

import java.io.IOException;
import java.util.List;
import org.clusterbackup.console.service.ServerGateway;
import org.clusterbackup.core.protocol.TargetChangesRequest;
import org.clusterbackup.core.protocol.TargetCursor;

/**
 * Refreshes everything the main window shows in one background request (the targets that changed since the
 * last refresh, by the server's change cursor; the selected target's backups; the log's newest page), never
 * more than one at a time, and drops answers that arrive after the
 * user switched servers. UI thread only.
 */
final class RefreshCoordinator {
    private final ConnectionViewModel connection;
    private final TargetsViewModel targets;
    private final BackupsViewModel backups;
    private final LogViewModel log;
    private final Async async;
    private final ServerTrustPrompt trustPrompt;

    /** Where the targets table stands in the server's change cursor; null: fetch them all. */
    private TargetCursor cursor;
    /** The connection generation {@link #cursor} belongs to: another server's cursor means nothing here. */
    private long cursorGeneration = -1;

    /** Generation of the refresh in flight, or -1. */
    private long inFlight = -1;

    private boolean refreshAgain;
    /** A target just registered, to select as soon as a refresh lists it. */
    private Long selectWhenListed;

    RefreshCoordinator(
            ConnectionViewModel connection,
            TargetsViewModel targets,
            BackupsViewModel backups,
            LogViewModel log,
            Async async,
            ServerTrustPrompt trustPrompt) {
        this.connection = connection;
        this.targets = targets;
        this.backups = backups;
        this.log = log;
        this.async = async;
        this.trustPrompt = trustPrompt;
    }

    /** Selects the target as soon as a refresh lists it (it was just registered). */
    void selectWhenListed(long targetId) {
        selectWhenListed = targetId;
    }

    /**
     * Fetches the targets, the selected target's backups and the log. While a refresh is in flight, another
     * call only asks for one more afterwards: a slow server gets one request at a time, not a pile.
     */
    void refresh() {
        ServerGateway gateway = connection.gateway();
        if (gateway == null) {
            return;
        }
        long generation = connection.generation();
        if (inFlight == generation) {
            refreshAgain = true;
            return;
        }
        inFlight = generation;
        refreshAgain = false;
        TargetRow asked = targets.selected();
        boolean logOfSelected = log.onlySelectedProperty().get();
        TargetCursor since = cursorGeneration == generation ? cursor : null;
        List<Long> recheck = targets.unsettled(TargetChangesRequest.MAX_RECHECK);
        async.call(
                () -> Snapshot.take(
                        gateway,
                        since,
                        recheck,
                        asked == null ? null : asked.selector(),
                        logOfSelected,
                        log.pageSize()),
                snapshot -> arrived(generation, asked, snapshot),
                failure -> failed(generation, failure));
    }

    private void arrived(long generation, TargetRow asked, Snapshot snapshot) {
        if (generation != connection.generation()) {
            return; // an answer from the server shown before the last connect
        }
        inFlight = -1;
        targets.apply(snapshot.targets());
        cursor = snapshot.targets().cursor();
        cursorGeneration = generation;
        connection.reachable(targets.rows().size());
        if (selectWhenListed != null) {
            long id = selectWhenListed;
            if (targets.rows().stream().anyMatch(r -> r.id() == id)) {
                selectWhenListed = null;
                targets.select(id); // the selection listener asks for the details
            }
        }
        TargetRow now = targets.selected();
        boolean sameScope =
                snapshot.logOfSelected() == (log.onlySelectedProperty().get() && now != null);
        if (now == asked && sameScope) {
            if (now == null) {
                backups.clear();
            } else {
                backups.show(now, snapshot.archives());
            }
            log.show(snapshot.logOfSelected() ? now : null, snapshot.log());
        } else {
            refreshAgain = true; // the details were fetched for a selection that changed meanwhile
        }
        if (refreshAgain) {
            refresh();
        }
    }

    private void failed(long generation, Exception failure) {
        if (generation != connection.generation()) {
            return;
        }
        inFlight = -1;
        refreshAgain = false; // the next tick tries again; no tight loop against a dead server
        try {
            if (trustPrompt.offer(failure, connection.gateway())) {
                refresh(); // pinned: connect again at once
                return;
            }
        } catch (IOException e) {
            connection.unreachable("cannot pin the server's identity: " + e.getMessage());
            return;
        }
        connection.unreachable(ConsoleViewModel.reason(failure));
    }
}
