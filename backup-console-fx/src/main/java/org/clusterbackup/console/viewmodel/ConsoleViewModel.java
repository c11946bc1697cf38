package org.clusterbackup.console.viewmodel;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.function.LongConsumer;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.beans.value.ObservableValue;
import javafx.collections.FXCollections;
import javafx.collections.ObservableMap;
import org.clusterbackup.console.service.ServerGateway;
import org.clusterbackup.core.client.AccessDeniedException;
import org.clusterbackup.core.client.UnknownServerException;
import org.clusterbackup.core.client.UnreachableException;
import org.clusterbackup.core.model.HostPort;
import org.clusterbackup.core.net.RemoteErrorException;
import org.clusterbackup.core.protocol.ArchiveInfo;
import org.clusterbackup.core.protocol.TargetInfo;
import org.clusterbackup.core.protocol.VerifyResult;

/**
 * The main window's state and actions. It refreshes everything it shows in one background request
 * ({@link #refresh()}, called on every tick of the auto-refresh and after each action), never more than one
 * at a time, and drops answers that arrive after the user switched servers.
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
    private final LogViewModel log = new LogViewModel();
    private final DownloadViewModel download = new DownloadViewModel();

    private final ReadOnlyStringWrapper title = new ReadOnlyStringWrapper(this, "title");
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper(this, "message", "");
    private final ReadOnlyBooleanWrapper messageIsError = new ReadOnlyBooleanWrapper(this, "messageIsError");
    /** Targets whose manual run is in progress, by id, with their labels. */
    private final ObservableMap<Long, String> running = FXCollections.observableHashMap();
    /** What is being verified ({@code backups of node:port /path}, {@code archive 12}), or null. */
    private final StringProperty verifying = new SimpleStringProperty(this, "verifying");
    private final ReadOnlyStringWrapper activity = new ReadOnlyStringWrapper(this, "activity", "");
    private final BooleanBinding busy = Bindings.isNotEmpty(running).or(verifying.isNotNull());
    private final BooleanBinding canUnregister;
    private final BooleanBinding canRun;
    private final BooleanBinding canDownload;
    private final BooleanBinding canVerify;
    private final BooleanBinding canVerifyArchive;
    private final BooleanBinding canShowFiles;

    /** Generation of the refresh in flight, or -1. */
    private long inFlight = -1;
    private boolean refreshAgain;
    /** A target just registered, to select as soon as a refresh lists it. */
    private Long selectWhenListed;
    private boolean clearing;

    /**
     * @param server the server to connect to at {@link #start()}
     * @param connector makes the gateway to a server
     * @param refreshEvery how often the view calls {@link #refresh()}; the status line mentions it
     */
    public ConsoleViewModel(HostPort server, Function<HostPort, ServerGateway> connector, Async async, Dialogs dialogs,
                            Formats formats, Clock clock, Duration refreshEvery) {
        this.async = Objects.requireNonNull(async, "async");
        this.dialogs = Objects.requireNonNull(dialogs, "dialogs");
        this.trustPrompt = new ServerTrustPrompt(dialogs);
        this.connection = new ConnectionViewModel(server, connector, formats, clock, refreshEvery);
        title.bind(Bindings.createStringBinding(() -> connection.serverProperty().get() == null ? "Cluster Backup"
                : "Cluster Backup — " + connection.serverProperty().get(), connection.serverProperty()));
        BooleanBinding selected = targets.selectedProperty().isNotNull();
        canUnregister = connection.connectedProperty().and(selected);
        canRun = canUnregister.and(Bindings.createBooleanBinding(() -> targets.selected() != null
                && !running.containsKey(targets.selected().id()), targets.selectedProperty(), running));
        // The selected row's record, followed through refreshes: an archive pruned meanwhile disables Download….
        ObservableValue<ArchiveInfo> archive = backups.selectedProperty().flatMap(ArchiveRow::infoProperty);
        BooleanBinding stored = Bindings.createBooleanBinding(() -> archive.getValue() != null
                && archive.getValue().stored(), archive);
        canDownload = connection.connectedProperty().and(stored).and(download.activeProperty().not());
        canVerify = canUnregister.and(verifying.isNull());
        canVerifyArchive = connection.connectedProperty().and(stored).and(verifying.isNull());
        canShowFiles = connection.connectedProperty().and(stored);
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
        return message.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty messageIsErrorProperty() {
        return messageIsError.getReadOnlyProperty();
    }

    /** What is in progress: {@code Running backup of node:port /path…}; empty when nothing. */
    public ReadOnlyStringProperty activityProperty() {
        return activity.getReadOnlyProperty();
    }

    /** A manual run or a verify is in progress. */
    public BooleanBinding busyProperty() {
        return busy;
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
        return canDownload;
    }

    /** A target is selected, the server answers, and nothing is being verified. */
    public BooleanBinding canVerifyProperty() {
        return canVerify;
    }

    /** A kept archive is selected, the server answers, and nothing is being verified. */
    public BooleanBinding canVerifyArchiveProperty() {
        return canVerifyArchive;
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
        async.call(() -> Snapshot.take(gateway, asked == null ? null : asked.selector(), logOfSelected),
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
        boolean sameScope = snapshot.logOfSelected() == (log.onlySelectedProperty().get() && now != null);
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
        connection.unreachable(reason(failure));
    }

    /** Opens the Register dialog; once the server accepted the target, it is selected. */
    public void register() {
        ServerGateway gateway = connection.gateway();
        if (gateway == null) {
            return;
        }
        dialogs.register(new RegisterViewModel(gateway, async, target -> {
            say("Registered " + TargetRow.label(target) + ", every " + Formats.every(target.everySeconds()), false);
            selectWhenListed = target.id();
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
        boolean confirmed = dialogs.confirm("Unregister target",
                "Unregister " + t.path() + " on " + t.node() + ":" + t.port() + "?",
                "The server stops backing it up. Its backups and execution log are kept; registering it again "
                        + "resumes them.",
                "Unregister");
        if (!confirmed) {
            return;
        }
        async.call(() -> gateway.unregister(target.selector()), done -> {
            say("Unregistered " + label, false);
            refresh();
        }, failure -> say("Could not unregister " + label + ": " + reason(failure), true));
    }

    /** Backs up the selected target now; the status bar shows it running, then its outcome. */
    public void runNow() {
        ServerGateway gateway = connection.gateway();
        TargetRow target = targets.selected();
        if (gateway == null || target == null || running.containsKey(target.id())) {
            return;
        }
        long id = target.id();
        String label = target.label();
        running.put(id, label);
        updateActivity();
        refresh(); // shows the run as RUNNING as soon as the server started it
        async.call(() -> gateway.run(target.selector()), execution -> {
            running.remove(id);
            updateActivity();
            say(ArchiveOutcomes.run(label, execution), ExecutionRow.failed(execution));
            refresh();
        }, failure -> {
            running.remove(id);
            updateActivity();
            say("Backup of " + label + " did not finish: " + reason(failure), true);
            refresh();
        });
    }

    /**
     * Asks where to save the selected archive, then downloads it there in the background; the status bar
     * shows how far it got, then the size and sha256 it checked, or why nothing was written.
     */
    public void download() {
        ServerGateway gateway = connection.gateway();
        ArchiveRow row = backups.selected();
        if (gateway == null || row == null || !row.info().stored() || download.active()) {
            return;
        }
        ArchiveInfo archive = row.info();
        Optional<Path> chosen = dialogs.saveFile("Download archive " + archive.id(),
                ArchiveOutcomes.fileName(targets.selected(), archive));
        if (chosen.isEmpty()) {
            return;
        }
        Path file = chosen.get();
        LongConsumer progress = download.start(archive.id(), archive.sizeBytes(), async);
        async.call(() -> gateway.download(archive.id(), file, progress), result -> {
            download.finish();
            say(ArchiveOutcomes.downloaded(result, file), false);
        }, failure -> {
            download.finish();
            say(ArchiveOutcomes.downloadFailed(archive.id(), file, failure), true);
            refresh(); // an archive pruned meanwhile shows as such
        });
    }

    /** A kept archive is selected and the server answers. */
    public BooleanBinding canShowFilesProperty() {
        return canShowFiles;
    }

    /** Opens the Files… window of the selected kept archive. */
    public void showFiles() {
        withSelectedArchive((gateway, id) -> {
            FilesViewModel files = new FilesViewModel(gateway, async, dialogs, connection.formats(), id);
            dialogs.files(files);
            files.load();
        });
    }

    /** Opens the Changes… window of the selected kept archive: what differs from the one before it. */
    public void showChanges() {
        withSelectedArchive((gateway, id) -> {
            ChangesViewModel changes = new ChangesViewModel(gateway, async, id);
            dialogs.changes(changes);
            changes.load();
        });
    }

    private void withSelectedArchive(java.util.function.BiConsumer<ServerGateway, Long> open) {
        ServerGateway gateway = connection.gateway();
        ArchiveRow row = backups.selected();
        if (gateway != null && row != null && row.info().stored()) {
            open.accept(gateway, row.id());
        }
    }

    /** Verifies the selected target's kept archives on the server; damaged ones then show as corrupt. */
    public void verify() {
        ServerGateway gateway = connection.gateway();
        TargetRow target = targets.selected();
        if (gateway == null || target == null || verifying.get() != null) {
            return;
        }
        String label = target.label();
        verify("backups of " + label, () -> gateway.verifyTarget(target.selector()),
                results -> ArchiveOutcomes.verifiedTarget(label, results));
    }

    /** Verifies the selected archive on the server. */
    public void verifyArchive() {
        ServerGateway gateway = connection.gateway();
        ArchiveRow row = backups.selected();
        if (gateway == null || row == null || !row.info().stored() || verifying.get() != null) {
            return;
        }
        long id = row.id();
        verify("archive " + id, () -> gateway.verifyArchive(id), results -> ArchiveOutcomes.verifiedArchive(id, results));
    }

    private void verify(String what, Async.Work<List<VerifyResult>> work, Function<List<VerifyResult>, String> outcome) {
        verifying.set(what);
        updateActivity();
        async.call(work, results -> {
            verifying.set(null);
            updateActivity();
            say(outcome.apply(results), ArchiveOutcomes.anyDamaged(results));
            refresh(); // the server marked damaged archives corrupt
        }, failure -> {
            verifying.set(null);
            updateActivity();
            say("Could not verify " + what + ": " + reason(failure), true);
            refresh();
        });
    }

    private void updateActivity() {
        List<String> parts = new ArrayList<>(2);
        switch (running.size()) {
            case 0 -> { }
            case 1 -> parts.add("Running backup of " + running.values().iterator().next() + "…");
            default -> parts.add("Running " + running.size() + " backups…");
        }
        if (verifying.get() != null) {
            parts.add("Verifying " + verifying.get() + "…");
        }
        activity.set(String.join(" · ", parts));
    }

    private void say(String text, boolean error) {
        message.set(text);
        messageIsError.set(error);
    }

    /** One line for people: the client's and server's messages already are; anything else is a bug. */
    static String reason(Exception failure) {
        if (failure instanceof UnreachableException || failure instanceof AccessDeniedException
                || failure instanceof UnknownServerException) {
            return failure.getMessage(); // the last two: this console is not trusted, or does not trust the server
        }
        if (failure instanceof RemoteErrorException r) {
            return "the server answered: " + r.getMessage() + " (" + r.code() + ")";
        }
        return "unexpected error: " + failure;
    }
}
