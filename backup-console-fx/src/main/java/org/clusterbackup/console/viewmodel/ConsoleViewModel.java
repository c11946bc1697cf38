package org.clusterbackup.console.viewmodel;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.function.Function;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import org.clusterbackup.console.service.ServerGateway;
import org.clusterbackup.core.client.AccessDeniedException;
import org.clusterbackup.core.client.UnknownServerException;
import org.clusterbackup.core.client.UnreachableException;
import org.clusterbackup.core.model.HostPort;
import org.clusterbackup.core.net.RemoteErrorException;
import org.clusterbackup.core.protocol.TargetInfo;

/**
 * The main window's state and actions. It refreshes everything it shows in one background request
 * ({@link #refresh()}, called on every tick of the auto-refresh and after each action; see
 * {@link RefreshCoordinator}); the archive actions are {@link ArchiveActions}'s, and the status bar's state
 * is {@link ActionStatus}'s.
 *
 * <p>Called on the UI thread only; all network calls go through {@link Async}.
 */
public final class ConsoleViewModel {
    private final Async async;
    private final Dialogs dialogs;
    private final ServerTrustPrompt trustPrompt;
    private final ConnectionViewModel connection;
    private final TargetsViewModel targets = new TargetsViewModel();
    private final BackupsViewModel backups = new BackupsViewModel();
    private final LogViewModel log;
    private final DownloadViewModel download = new DownloadViewModel();
    private final ActionStatus status = new ActionStatus();
    private final RefreshCoordinator refresher;
    private final ArchiveActions archiveActions;

    private final ReadOnlyStringWrapper title = new ReadOnlyStringWrapper(this, "title");
    private final BooleanBinding canUnregister;
    private final BooleanBinding canRun;
    private boolean clearing;

    /**
     * @param server the server to connect to at {@link #start()}
     * @param connector makes the gateway to a server
     * @param refreshEvery how often the view calls {@link #refresh()}; the status line mentions it
     */
    public ConsoleViewModel(
            HostPort server,
            Function<HostPort, ServerGateway> connector,
            Async async,
            Dialogs dialogs,
            Formats formats,
            Clock clock,
            Duration refreshEvery) {
        this(server, connector, async, dialogs, formats, clock, refreshEvery, LogViewModel.PAGE);
    }

    /** @param logPage runs per page of the log ({@link LogViewModel#PAGE} but in tests) */
    public ConsoleViewModel(
            HostPort server,
            Function<HostPort, ServerGateway> connector,
            Async async,
            Dialogs dialogs,
            Formats formats,
            Clock clock,
            Duration refreshEvery,
            int logPage) {
        this.log = new LogViewModel(logPage);
        this.async = Objects.requireNonNull(async, "async");
        this.dialogs = Objects.requireNonNull(dialogs, "dialogs");
        this.trustPrompt = new ServerTrustPrompt(dialogs);
        this.connection = new ConnectionViewModel(server, connector, formats, clock, refreshEvery);
        this.refresher = new RefreshCoordinator(connection, targets, backups, log, async, trustPrompt);
        title.bind(Bindings.createStringBinding(
                () -> connection.serverProperty().get() == null
                        ? "Cluster Backup"
                        : "Cluster Backup — " + connection.serverProperty().get(),
                connection.serverProperty()));
        BooleanBinding selected = targets.selectedProperty().isNotNull();
        canUnregister = connection.connectedProperty().and(selected);
        canRun = canUnregister.and(Bindings.createBooleanBinding(
                () -> targets.selected() != null
                        && !status.running(targets.selected().id()),
                targets.selectedProperty(),
                status.runs()));
        this.archiveActions = new ArchiveActions(
                connection, targets, backups, download, status, async, dialogs, canUnregister, this::refresh);
        targets.selectedProperty().addListener((o, was, now) -> {
            if (clearing) {
                return;
            }
            if (now == null || was == null || now.id() != was.id()) {
                backups.clear();
            }
            refresh();
        });
        log.onlySelectedProperty().addListener((o, was, now) -> refresh());
    }

    public ConnectionViewModel connection() {
        return connection;
    }

    public TargetsViewModel targets() {
        return targets;
    }

    public BackupsViewModel backups() {
        return backups;
    }

    public LogViewModel log() {
        return log;
    }

    /** How far the download in progress got. */
    public DownloadViewModel downloadStatus() {
        return download;
    }

    /** The window title: {@code Cluster Backup — 127.0.0.1:7070}. */
    public ReadOnlyStringProperty titleProperty() {
        return title.getReadOnlyProperty();
    }

    /** The outcome of the last action, for the status bar. */
    public ReadOnlyStringProperty messageProperty() {
        return status.messageProperty();
    }

    public ReadOnlyBooleanProperty messageIsErrorProperty() {
        return status.messageIsErrorProperty();
    }

    /** What is in progress: {@code Running backup of node:port /path…}; empty when nothing. */
    public ReadOnlyStringProperty activityProperty() {
        return status.activityProperty();
    }

    /** A manual run or a verify is in progress. */
    public BooleanBinding busyProperty() {
        return status.busyProperty();
    }

    public BooleanBinding canRegisterProperty() {
        return connection.connectedProperty();
    }

    public BooleanBinding canUnregisterProperty() {
        return canUnregister;
    }

    /** A target is selected, the server answers, and that target's manual run is not already going. */
    public BooleanBinding canRunProperty() {
        return canRun;
    }

    /** A kept (not pruned) archive is selected, the server answers, and no download is running. */
    public BooleanBinding canDownloadProperty() {
        return archiveActions.canDownloadProperty();
    }

    /** A target is selected, the server answers, and nothing is being verified. */
    public BooleanBinding canVerifyProperty() {
        return archiveActions.canVerifyProperty();
    }

    /** A kept archive is selected, the server answers, and nothing is being verified. */
    public BooleanBinding canVerifyArchiveProperty() {
        return archiveActions.canVerifyArchiveProperty();
    }

    /** A kept archive is selected and the server answers. */
    public BooleanBinding canShowFilesProperty() {
        return archiveActions.canShowFilesProperty();
    }

    /** Connects to the initial server. */
    public void start() {
        connect();
    }

    /** Connects to the address in the connection bar (again, if it is the same): everything is fetched anew. */
    public void connect() {
        if (!connection.connect()) {
            return;
        }
        trustPrompt.reset();
        clearing = true;
        try {
            targets.clear();
            backups.clear();
            log.clear();
        } finally {
            clearing = false;
        }
        refresh();
    }

    /**
     * Fetches the targets, the selected target's backups and the log. While a refresh is in flight, another
     * call only asks for one more afterwards: a slow server gets one request at a time, not a pile.
     */
    public void refresh() {
        refresher.refresh();
    }

    /**
     * Fetches the log's next older page, when the view shows a row near the end of what is loaded; once at
     * a time, and not past the oldest run.
     */
    public void loadOlderLog() {
        ServerGateway gateway = connection.gateway();
        Long before = gateway == null ? null : log.startOlderPage();
        if (before == null) {
            return;
        }
        Long scope = log.scope();
        TargetRow target = scope == null ? null : targets.byId(scope);
        if (scope != null && target == null) {
            log.olderPageFailed(); // its target left the table: the next refresh resets the log
            return;
        }
        long generation = connection.generation();
        async.call(
                () -> gateway.logPage(target == null ? null : target.selector(), log.pageSize(), before),
                page -> {
                    if (generation == connection.generation()) {
                        log.olderPage(scope, before, page);
                    }
                },
                failure -> {
                    log.olderPageFailed();
                    status.say("Could not load older runs: " + reason(failure), true);
                });
    }

    /** Opens the Register dialog; once the server accepted the target, it is selected. */
    public void register() {
        ServerGateway gateway = connection.gateway();
        if (gateway == null) {
            return;
        }
        dialogs.register(new RegisterViewModel(gateway, async, target -> {
            status.say(
                    "Registered " + TargetRow.label(target) + ", every " + Formats.every(target.everySeconds()), false);
            refresher.selectWhenListed(target.id());
            refresh();
        }));
    }

    /** Unregisters the selected target once the user confirmed; its backups and log stay on the server. */
    public void unregister() {
        ServerGateway gateway = connection.gateway();
        TargetRow target = targets.selected();
        if (gateway == null || target == null) {
            return;
        }
        TargetInfo t = target.info();
        String label = target.label();
        boolean confirmed = dialogs.confirm(
                "Unregister target",
                "Unregister " + t.path() + " on " + t.node() + ":" + t.port() + "?",
                "The server stops backing it up. Its backups and execution log are kept; registering it again "
                        + "resumes them.",
                "Unregister");
        if (!confirmed) {
            return;
        }
        async.call(
                () -> gateway.unregister(target.selector()),
                done -> {
                    status.say("Unregistered " + label, false);
                    refresh();
                },
                failure -> status.say("Could not unregister " + label + ": " + reason(failure), true));
    }

    /** Backs up the selected target now; the status bar shows it running, then its outcome. */
    public void runNow() {
        ServerGateway gateway = connection.gateway();
        TargetRow target = targets.selected();
        if (gateway == null || target == null || status.running(target.id())) {
            return;
        }
        long id = target.id();
        String label = target.label();
        status.runStarted(id, label);
        refresh(); // shows the run as RUNNING as soon as the server started it
        async.call(
                () -> gateway.run(target.selector()),
                execution -> {
                    status.runEnded(id);
                    status.say(ArchiveOutcomes.run(label, execution), ExecutionRow.failed(execution));
                    refresh();
                },
                failure -> {
                    status.runEnded(id);
                    status.say("Backup of " + label + " did not finish: " + reason(failure), true);
                    refresh();
                });
    }

    /**
     * Asks where to save the selected archive, then downloads it there in the background; the status bar
     * shows how far it got, then the size and sha256 it checked, or why nothing was written.
     */
    public void download() {
        archiveActions.download();
    }

    /** Opens the Files… window of the selected kept archive. */
    public void showFiles() {
        archiveActions.showFiles();
    }

    /** Opens the Changes… window of the selected kept archive: what differs from the one before it. */
    public void showChanges() {
        archiveActions.showChanges();
    }

    /** Verifies the selected target's kept archives on the server; damaged ones then show as corrupt. */
    public void verify() {
        archiveActions.verifyTarget();
    }

    /** Verifies the selected archive on the server. */
    public void verifyArchive() {
        archiveActions.verifyArchive();
    }

    /** One line for people: the client's and server's messages already are; anything else is a bug. */
    static String reason(Exception failure) {
        if (failure instanceof UnreachableException
                || failure instanceof AccessDeniedException
                || failure instanceof UnknownServerException) {
            return failure.getMessage(); // the last two: this console is not trusted, or does not trust the server
        }
        if (failure instanceof RemoteErrorException r) {
            return "the server answered: " + r.getMessage() + " (" + r.code() + ")";
        }
        return "unexpected error: " + failure;
    }
}
