package org.clusterbackup.console.viewmodel;

import java.io.IOException;
import org.clusterbackup.console.service.ServerGateway;

/**
 * Refreshes everything the main window shows in one background request (the targets, the selected
 * target's backups and the log), never more than one at a time, and drops answers that arrive after the
 * user switched servers. UI thread only.
 */
final class RefreshCoordinator {
    private final ConnectionViewModel connection;
    private final TargetsViewModel targets;
    private final BackupsViewModel backups;
    private final LogViewModel log;
    private final Async async;
    private final ServerTrustPrompt trustPrompt;

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
        async.call(
                () -> Snapshot.take(gateway, asked == null ? null : asked.selector(), logOfSelected),
                snapshot -> arrived(generation, asked, snapshot),
                failure -> failed(generation, failure));
    }

    private void arrived(long generation, TargetRow asked, Snapshot snapshot) {
        if (generation != connection.generation()) {
            return; // an answer from the server shown before the last connect
        }
        inFlight = -1;
        connection.reachable(snapshot.targets().size());
        targets.apply(snapshot.targets());
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
