package org.clusterbackup.console.viewmodel;

import java.util.function.LongConsumer;
import javafx.beans.property.ReadOnlyBooleanProperty;
import javafx.beans.property.ReadOnlyBooleanWrapper;
import javafx.beans.property.ReadOnlyDoubleProperty;
import javafx.beans.property.ReadOnlyDoubleWrapper;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import org.clusterbackup.core.model.Display;

/**
 * The download in progress, for the status bar: how far it got, as a fraction and in words. The bytes
 * arrive on a background thread, a chunk at a time; the screen hears of them only when the percentage
 * changes, so a large archive costs the FX thread a hundred updates, not one per chunk.
 */
public final class DownloadViewModel {
    private final ReadOnlyBooleanWrapper active = new ReadOnlyBooleanWrapper(this, "active");
    private final ReadOnlyDoubleWrapper progress = new ReadOnlyDoubleWrapper(this, "progress");
    private final ReadOnlyStringWrapper text = new ReadOnlyStringWrapper(this, "text", "");
    /** Counts downloads: a late update of an earlier one is dropped. */
    private long generation;

    DownloadViewModel() {}

    /** A download is running. */
    public ReadOnlyBooleanProperty activeProperty() {
        return active.getReadOnlyProperty();
    }

    public boolean active() {
        return active.get();
    }

    /** From 0 to 1. */
    public ReadOnlyDoubleProperty progressProperty() {
        return progress.getReadOnlyProperty();
    }

    /** {@code Downloading archive 12: 1.2 MiB of 3.4 MiB (35%)}; empty when none runs. */
    public ReadOnlyStringProperty textProperty() {
        return text.getReadOnlyProperty();
    }

    /**
     * Shows a download of {@code sizeBytes} starting.
     *
     * @return what the background work tells the bytes received so far; it hands them to the UI thread
     */
    LongConsumer start(long archiveId, long sizeBytes, Async async) {
        return start("archive " + archiveId, sizeBytes, async);
    }

    /** @param what {@code archive 12}, {@code etc/app.conf of archive 12}: what the text says is downloading */
    LongConsumer start(String what, long sizeBytes, Async async) {
        long current = ++generation;
        active.set(true);
        show(what, 0, sizeBytes);
        return new LongConsumer() {
            private int shown; // touched by the background thread only

            @Override
            public void accept(long bytes) {
                int percent = percent(bytes, sizeBytes);
                if (percent != shown) {
                    shown = percent;
                    async.onUi(() -> {
                        if (current == generation && active.get()) {
                            show(what, bytes, sizeBytes);
                        }
                    });
                }
            }
        };
    }

    void finish() {
        active.set(false);
        progress.set(0);
        text.set("");
    }

    private void show(String what, long bytes, long sizeBytes) {
        progress.set(sizeBytes <= 0 ? 1 : Math.min(1.0, (double) bytes / sizeBytes));
        text.set("Downloading " + what + ": " + Display.size(bytes) + " of " + Display.size(sizeBytes) + " ("
                + percent(bytes, sizeBytes) + "%)");
    }

    static int percent(long bytes, long sizeBytes) {
        return sizeBytes <= 0 ? 100 : (int) Math.min(100, bytes * 100 / sizeBytes);
    }
}
