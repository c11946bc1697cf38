package org.clusterbackup.console.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeoutException;
import javafx.scene.control.TableView;
import org.clusterbackup.console.LiveBackup;
import org.clusterbackup.console.viewmodel.ExecutionRow;
import org.clusterbackup.core.model.Outcome;
import org.clusterbackup.core.model.TargetSelector;
import org.clusterbackup.core.protocol.ExecutionInfo;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The log pane against a real server whose log holds several pages: it loads them as the user scrolls. */
class LogPagingWindowTest {
    private static final int PAGE = 10;
    private static final int RUNS = 60;

    @TempDir
    Path dir;

    private LiveBackup live;
    private ConsoleUi ui;

    @AfterEach
    void close() throws IOException, TimeoutException {
        try {
            if (ui != null) {
                ui.close();
            }
        } finally {
            live.close();
        }
    }

    @Test
    void theLogShowsItsNewestPagesFirstAndFetchesOlderOnesAsItScrollsToTheEnd() throws Exception {
        live = new LiveBackup(dir);
        int deadPort;
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress(LiveBackup.NODE, 0));
            deadPort = s.getLocalPort(); // closed again below: nobody listens there, so each run fails at once
        }
        Path app = live.app("shop", 100);
        live.client().register(LiveBackup.NODE, deadPort, app.toString(), 3600);
        TargetSelector target = new TargetSelector(LiveBackup.NODE, app.toString(), deadPort);
        for (int i = 0; i < RUNS; i++) {
            assertEquals(Outcome.FAILED, live.client().run(target).outcome());
        }
        List<Long> whole =
                live.client().log(null, 0).stream().map(ExecutionInfo::id).toList();
        assertEquals(RUNS, whole.size());

        ui = ConsoleUi.open(live, live::gateway, PAGE);
        @SuppressWarnings("unchecked")
        TableView<ExecutionRow> table =
                ui.onFx(() -> (TableView<ExecutionRow>) ui.lookup("#logTable").query());
        ui.until("the newest page shows", () -> !table.getItems().isEmpty());
        int first = ui.onFx(() -> table.getItems().size());
        assertTrue(first < RUNS, "not the whole log at once: " + first + " rows");
        assertEquals(0, first % PAGE, "whole pages: " + first);

        ui.until("scrolling to the end loads every older page", () -> {
            table.scrollTo(table.getItems().size() - 1);
            return table.getItems().size() == RUNS;
        });
        assertEquals(
                whole,
                ui.onFx(() -> table.getItems().stream().map(ExecutionRow::id).toList()),
                "each once, newest first");
    }
}
