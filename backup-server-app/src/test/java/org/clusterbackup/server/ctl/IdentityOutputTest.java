package org.clusterbackup.server.ctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.List;
import org.clusterbackup.core.model.FailureKind;
import org.clusterbackup.core.model.Outcome;
import org.clusterbackup.core.model.TargetState;
import org.clusterbackup.core.protocol.ExecutionInfo;
import org.clusterbackup.core.protocol.Json;
import org.clusterbackup.core.protocol.TargetInfo;
import org.junit.jupiter.api.Test;

/** A run that failed on an agent's identity stands out in {@code list} and {@code log}, tables and JSON. */
class IdentityOutputTest {
    private static final Instant T = Instant.parse("2026-01-02T03:04:05.123Z");

    private static TargetInfo target(long id, int port, Outcome last, FailureKind kind) {
        return new TargetInfo(id, "127.0.0.2", port, "/srv/app" + id, 300, T, TargetState.SCHEDULED, T, last, T, kind);
    }

    private static ExecutionInfo execution(long id, Outcome outcome, FailureKind kind) {
        return new ExecutionInfo(
                id,
                1,
                "127.0.0.2",
                7071,
                "/srv/app",
                T,
                T,
                outcome,
                0,
                null,
                null,
                outcome == Outcome.FAILED ? "127.0.0.2:7071: agent identity changed" : null,
                List.of(),
                null,
                kind);
    }

    private static String print(java.util.function.Consumer<PrintWriter> printer) {
        StringWriter s = new StringWriter();
        try (PrintWriter out = new PrintWriter(s)) {
            printer.accept(out);
        }
        return s.toString();
    }

    /** Prints {@code items} through a listing, as pages arriving would. */
    private static <T> void all(Listing<T> listing, List<T> items) {
        try {
            for (T item : items) {
                listing.add(item);
            }
            listing.finish();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void listMarksAnIdentityFailureAndSaysWhatToDo() {
        List<TargetInfo> targets = List.of(
                target(1, 7071, Outcome.FAILED, FailureKind.IDENTITY),
                target(2, 7072, Outcome.FAILED, FailureKind.UNREACHABLE),
                target(3, 7073, Outcome.STORED, null));
        String table = print(out -> all(Output.targets(out, false), targets));
        assertTrue(table.contains("FAILED (IDENTITY)"), table);
        assertTrue(table.contains("FAILED (unreachable)"), table);
        assertTrue(table.contains("! 127.0.0.2:7071: a run FAILED on an identity check"), table);
        assertTrue(table.contains("backupctl trust --node 127.0.0.2 --port 7071 --fingerprint FP"), table);
        assertFalse(table.contains("127.0.0.2:7072: a run FAILED"), "only identity failures get the notice: " + table);
    }

    @Test
    void listJsonCarriesTheLastFailureKind() throws Exception {
        String json = print(out -> all(
                Output.targets(out, true),
                List.of(target(1, 7071, Outcome.FAILED, FailureKind.IDENTITY), target(2, 7072, Outcome.STORED, null))));
        JsonNode rows = Json.mapper().readTree(json);
        assertEquals("IDENTITY", rows.get(0).get("lastFailureKind").asText());
        assertTrue(rows.get(1).get("lastFailureKind").isNull(), "null, never left out");
        assertEquals("FAILED", rows.get(0).get("lastOutcome").asText(), "the contract's field is unchanged");
    }

    @Test
    void logMarksAnIdentityFailureInTableAndJson() throws Exception {
        List<ExecutionInfo> runs =
                List.of(execution(2, Outcome.FAILED, FailureKind.IDENTITY), execution(1, Outcome.STORED, null));
        String table = print(out -> all(Output.executions(out, false), runs));
        assertTrue(table.contains("FAILED (IDENTITY)"), table);
        assertTrue(table.contains("! 127.0.0.2:7071: a run FAILED on an identity check"), table);
        JsonNode rows = Json.mapper().readTree(print(out -> all(Output.executions(out, true), runs)));
        assertEquals("IDENTITY", rows.get(0).get("failureKind").asText());
        assertEquals("FAILED", rows.get(0).get("outcome").asText());
        assertTrue(rows.get(1).get("failureKind").isNull());
    }
}
