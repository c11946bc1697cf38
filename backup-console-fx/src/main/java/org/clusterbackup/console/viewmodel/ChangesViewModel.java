package org.clusterbackup.console.viewmodel;

import java.util.Objects;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import org.clusterbackup.console.service.ServerGateway;
import org.clusterbackup.core.protocol.ChangePage;

/**
 * The Changes… window of one archive: what differs from the archive before it of the same target (added,
 * removed, modified, metadata), from the server's two indexes. Called on the UI thread only.
 */
public final class ChangesViewModel {
    private final ServerGateway gateway;
    private final Async async;
    private final long archiveId;
    private final ObservableList<ChangePage.Change> rows = FXCollections.observableArrayList();
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper(this, "message", "");
    private final ReadOnlyBooleanWrapper messageIsError = new ReadOnlyBooleanWrapper(this, "messageIsError");

    ChangesViewModel(ServerGateway gateway, Async async, long archiveId) {
        this.gateway = Objects.requireNonNull(gateway, "gateway");
        this.async = Objects.requireNonNull(async, "async");
        this.archiveId = archiveId;
    }

    public String title() {
        return "Changes in archive " + archiveId;
    }

    /** The changed paths: present ones in archive order, then the removed. */
    public ObservableList<ChangePage.Change> rows() {
        return rows;
    }

    /** {@code 12 changes}, or why they could not be listed (no earlier archive, no index). */
    public ReadOnlyStringProperty messageProperty() {
        return message.getReadOnlyProperty();
    }

    public ReadOnlyBooleanProperty messageIsErrorProperty() {
        return messageIsError.getReadOnlyProperty();
    }

    /** Asks the server for the changes. */
    public void load() {
        say("Comparing archive " + archiveId + " with the one before it…", false);
        async.call(
                () -> gateway.changes(archiveId),
                changes -> {
                    rows.setAll(changes);
                    say(changes.size() == 1 ? "1 change" : changes.size() + " changes", false);
                },
                failure -> {
                    rows.clear();
                    say(
                            "Cannot list the changes of archive " + archiveId + ": " + ConsoleViewModel.reason(failure),
                            true);
                });
    }

    private void say(String text, boolean error) {
        message.set(text);
        messageIsError.set(error);
    }
}
