package org.clusterbackup.console;

import java.time.Clock;
import java.time.ZoneId;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import javafx.animation.Animation;
import javafx.animation.KeyFrame;
import javafx.animation.Timeline;
import javafx.application.Platform;
import javafx.geometry.Rectangle2D;
import javafx.scene.Scene;
import javafx.stage.Screen;
import javafx.stage.Stage;
import javafx.stage.Window;
import org.clusterbackup.console.service.ServerGateway;
import org.clusterbackup.console.view.ConsoleView;
import org.clusterbackup.console.view.FxDialogs;
import org.clusterbackup.console.viewmodel.Async;
import org.clusterbackup.console.viewmodel.ConsoleViewModel;
import org.clusterbackup.console.viewmodel.Dialogs;
import org.clusterbackup.console.viewmodel.Formats;
import org.clusterbackup.core.model.HostPort;

/**
 * One console window, wired: the network pool, the ViewModel, the view, and the auto-refresh. The launcher
 * and the UI tests open it the same way.
 */
public final class Console implements AutoCloseable {
    private final ExecutorService io;
    private final Timeline ticker;
    private final ConsoleViewModel viewModel;

    private Console(ExecutorService io, Timeline ticker, ConsoleViewModel viewModel) {
        this.io = io;
        this.ticker = ticker;
        this.viewModel = viewModel;
    }

    /**
     * Shows the console in {@code stage} and connects. Call on the FX thread.
     *
     * @param connector makes the gateway to a server ({@link ServerGateway#connect} in production)
     */
    public static Console open(
            Stage stage,
            ConsoleSettings settings,
            Function<HostPort, ServerGateway> connector,
            ZoneId zone,
            Clock clock) {
        return open(stage, settings, connector, zone, clock, FxDialogs::new);
    }

    /**
     * As {@link #open(Stage, ConsoleSettings, Function, ZoneId, Clock)}, with the dialogs made by
     * {@code dialogs} over the window: UI tests answer the native save dialog themselves.
     */
    public static Console open(
            Stage stage,
            ConsoleSettings settings,
            Function<HostPort, ServerGateway> connector,
            ZoneId zone,
            Clock clock,
            Function<Window, Dialogs> dialogs) {
        // Network calls block, sometimes for a whole backup run (Run now); each waits on its own daemon
        // thread. Refreshes never overlap, so the pool stays as small as the runs the user started.
        ExecutorService io = Executors.newCachedThreadPool(daemonThreads("console-io-"));
        Formats formats = new Formats(zone);
        ConsoleViewModel vm = new ConsoleViewModel(
                settings.server(),
                connector,
                new Async(io, Platform::runLater),
                dialogs.apply(stage),
                formats,
                clock,
                settings.refresh(),
                settings.logPage());
        // As large as the tables want, but never beyond the screen: a window manager shrinks a window that
        // does not fit, often to its minimum size.
        Rectangle2D screen = Screen.getPrimary().getVisualBounds();
        Scene scene = new Scene(
                new ConsoleView(vm, formats),
                Math.min(1180, screen.getWidth()),
                Math.min(800, screen.getHeight() - 40));
        scene.getStylesheets().add(ConsoleView.STYLESHEET);
        stage.titleProperty().bind(vm.titleProperty());
        stage.setScene(scene);

        Timeline ticker = new Timeline(
                new KeyFrame(javafx.util.Duration.millis(settings.refresh().toMillis()), e -> vm.refresh()));
        ticker.setCycleCount(Animation.INDEFINITE);
        Console console = new Console(io, ticker, vm);
        stage.setOnHidden(e -> console.close());
        stage.show();
        // JavaFX 21 on GTK under some window managers leaves the window at GTK's default 200x200 although the
        // stage reports the scene's size (JDK-8316423, fixed in JavaFX 22); asking for the size again applies it.
        Platform.runLater(() -> reapplySize(stage));
        // Only once shown: set before, the same bug opens the window at this minimum size.
        stage.setMinWidth(720);
        stage.setMinHeight(520);
        // The table, not the address field: a first key press should not overwrite the address.
        scene.lookup("#targetsTable").requestFocus();
        vm.start();
        ticker.play();
        return console;
    }

    public ConsoleViewModel viewModel() {
        return viewModel;
    }

    /** Stops refreshing and abandons calls in flight; their answers are not needed any more. */
    @Override
    public void close() {
        ticker.stop();
        io.shutdownNow();
    }

    private static void reapplySize(Stage stage) {
        double width = stage.getWidth();
        double height = stage.getHeight();
        stage.setWidth(width - 1); // an unchanged value would not be sent to the window system
        stage.setHeight(height - 1);
        stage.setWidth(width);
        stage.setHeight(height);
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}
