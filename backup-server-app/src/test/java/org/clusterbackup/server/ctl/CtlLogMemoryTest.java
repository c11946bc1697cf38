package org.clusterbackup.server.ctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.clusterbackup.core.catalog.Catalog;
import org.clusterbackup.core.catalog.Execution;
import org.clusterbackup.core.catalog.Target;
import org.clusterbackup.core.client.OperatorAccess;
import org.clusterbackup.core.model.FailureKind;
import org.clusterbackup.core.model.RunTrigger;
import org.clusterbackup.core.server.api.BackupServer;
import org.clusterbackup.core.server.api.ServerSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code log --limit 0 --json} of more executions than a small heap can hold at once, run as a user runs
 * backupctl: its own JVM, with a heap far smaller than the answer. Holding the rows (as a list, or as the
 * whole JSON text) runs out of memory; printing them as pages arrive does not.
 */
class CtlLogMemoryTest {
    private static final int ROWS = 60_000;
    /** Well below what the rows take as objects and again as one JSON text (tens of MiB each). */
    private static final String HEAP = "-Xmx16m";

    @TempDir
    Path dataDir;

    @TempDir
    Path config;

    @Test
    void aLogLongerThanTheHeapStreamsThroughASmallClient() throws Exception {
        try (Catalog catalog = Catalog.open(dataDir.resolve("catalog.db"), Clock.systemUTC())) {
            Target t = catalog.register("127.0.0.2", 7071, "/srv/app", 60);
            catalog.inTransaction(c -> {
                for (int i = 0; i < ROWS; i++) {
                    Execution e = c.startExecution(t, RunTrigger.SCHEDULE);
                    c.finishFailed(
                            e.id(),
                            "127.0.0.2:7071: connection refused (run " + i + ")",
                            FailureKind.UNREACHABLE,
                            0,
                            List.of());
                }
                return null;
            });
        }
        try (BackupServer server = BackupServer.start(
                new ServerSettings(new InetSocketAddress("127.0.0.1", 0), dataDir)
                        .withFirstRunDelay(Duration.ofHours(1)),
                Clock.systemUTC())) {
            Path stdout = dataDir.resolve("log.json");
            Path stderr = dataDir.resolve("log.err");
            List<String> command = new ArrayList<>(List.of(
                    ProcessHandle.current().info().command().orElse("java"),
                    HEAP,
                    "-XX:+UseSerialGC",
                    "--module-path",
                    System.getProperty("jdk.module.path"),
                    "-m",
                    "org.clusterbackup.server/org.clusterbackup.server.ctl.CtlMain",
                    "--server",
                    "127.0.0.1:" + server.address().getPort(),
                    "log",
                    "--limit",
                    "0",
                    "--json"));
            ProcessBuilder pb =
                    new ProcessBuilder(command).redirectOutput(stdout.toFile()).redirectError(stderr.toFile());
            pb.environment().put("XDG_CONFIG_HOME", config.toString());
            pb.environment()
                    .put(OperatorAccess.FINGERPRINT_ENV, server.fingerprint().value());
            pb.environment()
                    .put(
                            OperatorAccess.TOKEN_ENV,
                            Files.readString(server.adminTokenFile()).strip());
            int exit = pb.start().waitFor();
            String err = Files.readString(stderr, StandardCharsets.UTF_8);
            assertEquals(0, exit, err);
            String last;
            try (var lines = Files.lines(stdout)) {
                last = lines.reduce((a, b) -> b).orElse("");
            }
            assertEquals("} ]", last, "the array is closed: the listing is whole");
            assertTrue(Files.size(stdout) > 16L * 1024 * 1024, "the answer is larger than the client's heap");
            assertEquals(ROWS, countRows(stdout));
        }
    }

    /** Rows of the pretty-printed array: one {@code "targetId"} field each. */
    private static long countRows(Path json) throws IOException {
        try (var lines = Files.lines(json)) {
            return lines.filter(l -> l.strip().startsWith("\"targetId\" :")).count();
        }
    }
}
