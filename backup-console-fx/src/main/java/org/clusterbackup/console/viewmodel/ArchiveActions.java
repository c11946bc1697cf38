package org.clusterbackup.console.viewmodel;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.LongConsumer;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.value.ObservableValue;
import org.clusterbackup.console.service.ServerGateway;
import org.clusterbackup.core.protocol.ArchiveInfo;
import org.clusterbackup.core.protocol.VerifyResult;

/**
 * What the user does with archives: download one, open its Files… and Changes… windows, verify one or all
 * of a target's. Each runs in the background and reports in the status bar. UI thread only.
 */
final class ArchiveActions {
    private final ConnectionViewModel connection;
    private final TargetsViewModel targets;
    private final BackupsViewModel backups;
    private final DownloadViewModel download;
    private final ActionStatus status;
    private final Async async;
    private final Dialogs dialogs;
    private final Runnable refresh;
    private final BooleanBinding canDownload;
    private final BooleanBinding canVerify;
    private final BooleanBinding canVerifyArchive;
    private final BooleanBinding canShowFiles;

    /**
     * @param targetSelected the server answers and a target is selected
     * @param refresh asks for a refresh once an action changed what the server holds
     */
    ArchiveActions(
            ConnectionViewModel connection,
            TargetsViewModel targets,
            BackupsViewModel backups,
            DownloadViewModel download,
            ActionStatus status,
            Async async,
            Dialogs dialogs,
            BooleanBinding targetSelected,
            Runnable refresh) {
        this.connection = connection;
        this.targets = targets;
        this.backups = backups;
        this.download = download;
        this.status = status;
        this.async = async;
        this.dialogs = dialogs;
        this.refresh = refresh;
        // The selected row's record, followed through refreshes: an archive pruned meanwhile disables Download….
        ObservableValue<ArchiveInfo> archive = backups.selectedProperty().flatMap(ArchiveRow::infoProperty);
        BooleanBinding stored = Bindings.createBooleanBinding(
                () -> archive.getValue() != null && archive.getValue().stored(), archive);
        canDownload = connection
                .connectedProperty()
                .and(stored)
                .and(download.activeProperty().not());
        canVerify = targetSelected.and(status.noVerifyProperty());
        canVerifyArchive = connection.connectedProperty().and(stored).and(status.noVerifyProperty());
        canShowFiles = connection.connectedProperty().and(stored);
    }

    BooleanBinding canDownloadProperty() {
        return canDownload;
    }

    BooleanBinding canVerifyProperty() {
        return canVerify;
    }

    BooleanBinding canVerifyArchiveProperty() {
        return canVerifyArchive;
    }

    BooleanBinding canShowFilesProperty() {
        return canShowFiles;
    }

    /**
     * Asks where to save the selected archive, then downloads it there in the background; the status bar
     * shows how far it got, then the size and sha256 it checked, or why nothing was written.
     */
    void download() {
        ServerGateway gateway = connection.gateway();
        ArchiveRow row = backups.selected();
        if (gateway == null || row == null || !row.info().stored() || download.active()) {
            return;
        }
        ArchiveInfo archive = row.info();
        Optional<Path> chosen = dialogs.saveFile(
                "Download archive " + archive.id(), ArchiveOutcomes.fileName(targets.selected(), archive));
        if (chosen.isEmpty()) {
            return;
        }
        Path file = chosen.get();
        LongConsumer progress = download.start(archive.id(), archive.sizeBytes(), async);
        async.call(
                () -> gateway.download(archive.id(), file, progress),
                result -> {
                    download.finish();
                    status.say(ArchiveOutcomes.downloaded(result, file), false);
                },
                failure -> {
                    download.finish();
                    status.say(ArchiveOutcomes.downloadFailed(archive.id(), file, failure), true);
                    refresh.run(); // an archive pruned meanwhile shows as such
                });
    }

    /** Opens the Files… window of the selected kept archive. */
    void showFiles() {
        withSelectedArchive((gateway, id) -> {
            FilesViewModel files = new FilesViewModel(gateway, async, dialogs, connection.formats(), id);
            dialogs.files(files);
            files.load();
        });
    }

    /** Opens the Changes… window of the selected kept archive: what differs from the one before it. */
    void showChanges() {
        withSelectedArchive((gateway, id) -> {
            ChangesViewModel changes = new ChangesViewModel(gateway, async, id);
            dialogs.changes(changes);
            changes.load();
        });
    }

    private void withSelectedArchive(BiConsumer<ServerGateway, Long> open) {
        ServerGateway gateway = connection.gateway();
        ArchiveRow row = backups.selected();
        if (gateway != null && row != null && row.info().stored()) {
            open.accept(gateway, row.id());
        }
    }

    /** Verifies the selected target's kept archives on the server; damaged ones then show as corrupt. */
    void verifyTarget() {
        ServerGateway gateway = connection.gateway();
        TargetRow target = targets.selected();
        if (gateway == null || target == null || status.verifying()) {
            return;
        }
        String label = target.label();
        verify(
                "backups of " + label,
                () -> gateway.verifyTarget(target.selector()),
                results -> ArchiveOutcomes.verifiedTarget(label, results));
    }

    /** Verifies the selected archive on the server. */
    void verifyArchive() {
        ServerGateway gateway = connection.gateway();
        ArchiveRow row = backups.selected();
        if (gateway == null || row == null || !row.info().stored() || status.verifying()) {
            return;
        }
        long id = row.id();
        verify(
                "archive " + id,
                () -> gateway.verifyArchive(id),
                results -> ArchiveOutcomes.verifiedArchive(id, results));
    }

    private void verify(
            String what, Async.Work<List<VerifyResult>> work, Function<List<VerifyResult>, String> outcome) {
        status.verifyStarted(what);
        async.call(
                work,
                results -> {
                    status.verifyEnded();
                    status.say(outcome.apply(results), ArchiveOutcomes.anyDamaged(results));
                    refresh.run(); // the server marked damaged archives corrupt
                },
                failure -> {
                    status.verifyEnded();
                    status.say("Could not verify " + what + ": " + ConsoleViewModel.reason(failure), true);
                    refresh.run();
                });
    }
}
