package org.clusterbackup.console.viewmodel;

import java.util.ArrayList;
import java.util.List;
import javafx.beans.Observable;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.beans.property.SimpleStringProperty;
import javafx.beans.property.StringProperty;
import javafx.collections.FXCollections;
import javafx.collections.ObservableMap;

/**
 * What the status bar shows: the outcome of the last action, and what is in progress (manual runs,
 * a verify). UI thread only.
 */
final class ActionStatus {
    private final ReadOnlyStringWrapper message = new ReadOnlyStringWrapper(this, "message", "");
    private final ReadOnlyBooleanWrapper messageIsError = new ReadOnlyBooleanWrapper(this, "messageIsError");
    /** Targets whose manual run is in progress, by id, with their labels. */
    private final ObservableMap<Long, String> running = FXCollections.observableHashMap();
    /** What is being verified ({@code backups of node:port /path}, {@code archive 12}), or null. */
    private final StringProperty verifying = new SimpleStringProperty(this, "verifying");

    private final ReadOnlyStringWrapper activity = new ReadOnlyStringWrapper(this, "activity", "");
    private final BooleanBinding busy = Bindings.isNotEmpty(running).or(verifying.isNotNull());
    private final BooleanBinding idleVerifier = verifying.isNull();

    ReadOnlyStringProperty messageProperty() {
        return message.getReadOnlyProperty();
    }

    ReadOnlyBooleanProperty messageIsErrorProperty() {
        return messageIsError.getReadOnlyProperty();
    }

    ReadOnlyStringProperty activityProperty() {
        return activity.getReadOnlyProperty();
    }

    /** A manual run or a verify is in progress. */
    BooleanBinding busyProperty() {
        return busy;
    }

    /** Nothing is being verified: one verify at a time. */
    BooleanBinding noVerifyProperty() {
        return idleVerifier;
    }

    /** Changes whenever a manual run starts or ends, for bindings that ask {@link #running(long)}. */
    Observable runs() {
        return running;
    }

    void say(String text, boolean error) {
        message.set(text);
        messageIsError.set(error);
    }

    boolean running(long targetId) {
        return running.containsKey(targetId);
    }

    void runStarted(long targetId, String label) {
        running.put(targetId, label);
        updateActivity();
    }

    void runEnded(long targetId) {
        running.remove(targetId);
        updateActivity();
    }

    boolean verifying() {
        return verifying.get() != null;
    }

    void verifyStarted(String what) {
        verifying.set(what);
        updateActivity();
    }

    void verifyEnded() {
        verifying.set(null);
        updateActivity();
    }

    private void updateActivity() {
        List<String> parts = new ArrayList<>(2);
        switch (running.size()) {
            case 0 -> {}
            case 1 ->
                parts.add("Running backup of " + running.values().iterator().next() + "…");
            default -> parts.add("Running " + running.size() + " backups…");
        }
        if (verifying.get() != null) {
            parts.add("Verifying " + verifying.get() + "…");
        }
        activity.set(String.join(" · ", parts));
    }
}
