package org.clusterbackup.console.viewmodel;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.function.LongConsumer;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleObjectProperty;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.collections.transformation.FilteredList;
import org.clusterbackup.console.service.ServerGateway;
import org.clusterbackup.core.client.IntegrityException;
import org.clusterbackup.core.client.LocalWriteException;
import org.clusterbackup.core.model.Display;
import org.clusterbackup.core.net.RemoteErrorException;

/**
 * The Files… window of one archive: its entries from the server's index, narrowed by a filter, and
 * Download file… of the selected regular file — only its segments are read on the server, and the file
 * appears only whole and with the index's sha256, as a whole archive does. Called on the UI thread only.
 */
public final class FilesViewModel {
    private final ServerGateway gateway;
    private final Async async;
    private final Dialogs dialogs;
    private final Formats formats;
    private final long archiveId;
    private final ObservableList<FileRow> all = FXCollections.observableArrayList();
    private final FilteredList<FileRow> shown = new FilteredList<>(all);
    private final StringProperty filter = new SimpleStringProperty(this, "filter", "");
    private final ObjectProperty<FileRow> selected = new SimpleObjectProperty<>(this, "selected");
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper(this, "message", "");
    private final ReadOnlyBooleanWrapper messageIsError = new ReadOnlyBooleanWrapper(this, "messageIsError");
    private final DownloadViewModel download = new DownloadViewModel();
    private final BooleanBinding canDownload;

    FilesViewModel(ServerGateway gateway, Async async, Dialogs dialogs, Formats formats, long archiveId) {
        this.gateway = Objects.requireNonNull(gateway, "gateway");
        this.async = Objects.requireNonNull(async, "async");
        this.dialogs = Objects.requireNonNull(dialogs, "dialogs");
        this.formats = Objects.requireNonNull(formats, "formats");
        this.archiveId = archiveId;
        filter.addListener((o, was, now) -> applyFilter());
        canDownload = Bindings.createBooleanBinding(
                        () -> selected.get() != null && selected.get().downloadable(), selected)
                .and(download.activeProperty().not());
    }

    public String title() {
        return "Files of archive " + archiveId;
    }

    /** The entries that match the filter, in archive order. */
    public ObservableList<FileRow> rows() {
        return shown;
    }

    /** Text the shown paths must contain, ignoring case; empty shows all. */
    public StringProperty filterProperty() {
        return filter;
    }

    public ObjectProperty<FileRow> selectedProperty() {
        return selected;
    }

    /** {@code 1,234 entries}, a download's outcome, or why the list could not be shown. */
    public ReadOnlyStringProperty messageProperty() {
        return message.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty messageIsErrorProperty() {
        return messageIsError.getReadOnlyProperty();
    }

    public DownloadViewModel downloadStatus() {
        return download;
    }

    /** A regular file is selected and no download runs. */
    public BooleanBinding canDownloadProperty() {
        return canDownload;
    }

    /** Asks the server for the entries. */
    public void load() {
        say("Loading the entries of archive " + archiveId + "…", false);
        async.call(
                () -> gateway.files(archiveId),
                files -> {
                    all.setAll(files.stream().map(f -> FileRow.of(f, formats)).toList());
                    say(count(), false);
                },
                failure -> {
                    all.clear();
                    say("Cannot list the files of archive " + archiveId + ": " + why(failure), true);
                });
    }

    /** Asks where to save the selected file, then downloads it in the background. */
    public void downloadSelected() {
        FileRow row = selected.get();
        if (row == null || !row.downloadable() || download.active()) {
            return;
        }
        String path = row.info().path();
        String name = path.substring(path.lastIndexOf('/') + 1);
        Optional<Path> chosen = dialogs.saveFile("Download " + path + " of archive " + archiveId, name);
        if (chosen.isEmpty()) {
            return;
        }
        Path file = chosen.get();
        LongConsumer progress =
                download.start(path + " of archive " + archiveId, row.info().sizeBytes(), async);
        async.call(
                () -> gateway.downloadFile(archiveId, path, file, progress),
                result -> {
                    download.finish();
                    say(
                            "Downloaded " + path + " to " + file + ": " + Display.size(result.sizeBytes()) + ", sha256 "
                                    + result.sha256() + " checked",
                            false);
                },
                failure -> {
                    download.finish();
                    say("Download of " + path + " failed, nothing written to " + file + ": " + why(failure), true);
                });
    }

    private void applyFilter() {
        String needle = filter.get() == null ? "" : filter.get().trim().toLowerCase(Locale.ROOT);
        shown.setPredicate(
                needle.isEmpty() ? null : r -> r.path().toLowerCase(Locale.ROOT).contains(needle));
        if (selected.get() != null && !shown.contains(selected.get())) {
            selected.set(null);
        }
        if (!messageIsError.get() && !download.active()) {
            say(count(), false);
        }
    }

    private String count() {
        String total = all.size() == 1 ? "1 entry" : all.size() + " entries";
        return shown.size() == all.size() ? total : shown.size() + " of " + total + " shown";
    }

    private static String why(Exception failure) {
        if (failure instanceof IntegrityException || failure instanceof LocalWriteException) {
            return failure.getMessage();
        }
        if (failure instanceof RemoteErrorException r) {
            return r.getMessage();
        }
        return ConsoleViewModel.reason(failure);
    }

    private void say(String text, boolean error) {
        message.set(text);
        messageIsError.set(error);
    }

    List<FileRow> allRows() {
        return List.copyOf(all);
    }
}
