package org.clusterbackup.server.ctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.clusterbackup.core.catalog.Catalog;
import org.clusterbackup.core.catalog.Execution;
import org.clusterbackup.core.catalog.Target;
import org.clusterbackup.core.model.FailureKind;
import org.clusterbackup.core.model.RunTrigger;
import org.clusterbackup.core.protocol.Json;
import org.clusterbackup.core.server.api.BackupServer;
import org.clusterbackup.core.server.api.ServerSettings;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code log --since/--until/--outcome} over a catalog whose runs started at known times. */
class CtlLogFiltersTest {
    /** The catalog's clock starts here and moves a minute at each reading: every run starts at its own time. */
    private static final Instant DAY = Instant.parse("2026-01-02T00:00:00Z");

    @TempDir
    Path dataDir;

    private BackupServer server;
    private CtlRunner ctl;
    private String address;

    @BeforeEach
    void start() throws IOException {
        try (Catalog catalog = Catalog.open(dataDir.resolve("catalog.db"), new StepClock())) {
            Target t = catalog.register("127.0.0.2", 7071, "/srv/app", 60);
            for (int i = 0; i < 6; i++) {
                Execution e = catalog.startExecution(t, RunTrigger.SCHEDULE);
                if (i < 5) {
                    catalog.finishFailed(e.id(), "connection refused", FailureKind.UNREACHABLE, 0, List.of());
                } // the last one stays RUNNING until the server starts and closes it
            }
            // unregistered: the server must not run it (its last run is long overdue) and add a row of its own
            catalog.unregister(new org.clusterbackup.core.model.TargetSelector("127.0.0.2", "/srv/app", 7071));
        }
        server = BackupServer.start(
                new ServerSettings(new InetSocketAddress("127.0.0.1", 0), dataDir)
                        .withFirstRunDelay(Duration.ofHours(1)),
                Clock.systemUTC());
        address = "127.0.0.1:" + server.address().getPort();
        ctl = new CtlRunner(server, Map.of());
    }

    @AfterEach
    void stop() throws IOException {
        server.close();
    }

    /** A clock that moves a minute at each reading. */
    private static final class StepClock extends Clock {
        private Instant now = DAY.minusSeconds(60);

        @Override
        public Instant instant() {
            Instant t = now;
            now = now.plusSeconds(60);
            return t;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }

    private List<String> starts(String... filters) throws IOException {
        List<String> args = new ArrayList<>(List.of("--server", address, "log", "--limit", "0", "--json"));
        args.addAll(List.of(filters));
        CtlRunner.Result r = ctl.run(args.toArray(String[]::new));
        assertEquals(0, r.exit(), r.toString());
        List<String> out = new ArrayList<>();
        for (JsonNode e : Json.mapper().readTree(r.out())) {
            out.add(e.get("startedAt").asText() + " " + e.get("outcome").asText());
        }
        return out;
    }

    @Test
    void sinceAndUntilBoundTheStartTimeAndOutcomeFilters() throws Exception {
        List<String> all = starts();
        assertEquals(6, all.size(), all.toString());
        String second = all.get(4).split(" ")[0];
        String fifth = all.get(1).split(" ")[0];
        List<String> between = starts("--since", second, "--until", fifth);
        assertEquals(all.subList(2, 5), between, "[since, until): the fifth run is not included");
        // every run ended FAILED (the last one closed as interrupted when the server started)
        assertEquals(all, starts("--outcome", "failed", "--since", "2026-01-01T00:00:00Z"));
        assertEquals(List.of(), starts("--outcome", "STORED"));
        assertEquals(List.of(), starts("--since", "1h"), "nothing started in the last hour");
        assertEquals(6, starts("--since", "90000h").size());
    }

    @Test
    void badValuesExit2WithOneLine() {
        for (String[] bad : List.of(
                new String[] {"--since", "yesterday"},
                new String[] {"--until", "2026-13-01T00:00:00Z"},
                new String[] {"--since", "5d"},
                new String[] {"--outcome", "DONE"},
                new String[] {"--since", "2026-01-02T00:00:00Z", "--until", "2026-01-01T00:00:00Z"})) {
            List<String> args = new ArrayList<>(List.of("--server", address, "log"));
            args.addAll(List.of(bad));
            CtlRunner.Result r = ctl.run(args.toArray(String[]::new));
            assertEquals(2, r.exit(), r.toString());
            assertEquals(1, r.err().lines().count(), r.err());
            assertEquals("", r.out());
        }
        CtlRunner.Result r = ctl.run("--server", address, "log", "--outcome", "DONE");
        assertTrue(r.err().contains("RUNNING, STORED, UNCHANGED, FAILED"), r.err());
    }
}
