package org.clusterbackup.console.viewmodel;

import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

/**
 * Runs blocking work off the FX thread and hands its result back to it. The ViewModels reach the network
 * only through here. Production passes a daemon pool and {@code Platform::runLater}; ViewModel tests pass
 * {@link #currentThread()}, so UI logic is tested without threads or a robot.
 */
public final class Async {
    private final Executor background;
    private final Executor ui;

    /**
     * @param background where the work runs
     * @param ui where results and failures are delivered (the FX thread)
     */
    public Async(Executor background, Executor ui) {
        this.background = Objects.requireNonNull(background, "background");
        this.ui = Objects.requireNonNull(ui, "ui");
    }

    /** Everything at once on the calling thread: for tests. */
    public static Async currentThread() {
        return new Async(Runnable::run, Runnable::run);
    }

    /** Blocking work that may fail. */
    @FunctionalInterface
    public interface Work<T> {
        T call() throws Exception;
    }

    /** Hands {@code update} to the UI executor: for progress that background work reports on its way. */
    void onUi(Runnable update) {
        ui.execute(update);
    }

    /**
     * Runs {@code work} in the background, then exactly one of the callbacks on the UI executor. A failure
     * of any kind, a bug included, reaches {@code onFailure}: the screen must never wait for an answer that
     * will not come. Once the background pool is shut down (the window closed), nothing runs.
     */
    public <T> void call(Work<T> work, Consumer<? super T> onSuccess, Consumer<? super Exception> onFailure) {
        try {
            background.execute(() -> {
                T result;
                try {
                    result = work.call();
                } catch (Exception e) {
                    ui.execute(() -> onFailure.accept(e));
                    return;
                }
                ui.execute(() -> onSuccess.accept(result));
            });
        } catch (RejectedExecutionException e) {
            // The window closed and its pool shut down while an event was still on its way (a refresh after an
            // answer, say): nobody waits for this work any more.
        }
    }
}
