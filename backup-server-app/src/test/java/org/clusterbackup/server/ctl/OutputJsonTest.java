package org.clusterbackup.server.ctl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.clusterbackup.core.model.FailureKind;
import org.clusterbackup.core.model.Outcome;
import org.clusterbackup.core.protocol.ExecutionInfo;
import org.junit.jupiter.api.Test;

/**
 * {@code log --json} rows written field by field into the generator print exactly the bytes the JSON of a
 * map per row printed before: every field kind, nulls, odd times, and text that needs escaping.
 */
class OutputJsonTest {
    /** The row as the map Output built before, which Jackson then printed: the reference text. */
    private static Map<String, Object> mapOf(ExecutionInfo e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", e.id());
        m.put("targetId", e.targetId());
        m.put("node", e.node());
        m.put("port", e.port());
        m.put("path", e.path());
        m.put("startedAt", e.startedAt());
        m.put("finishedAt", e.finishedAt());
        m.put("outcome", e.outcome());
        m.put("bytesReceived", e.bytesReceived());
        m.put("archiveId", e.archiveId());
        m.put("files", e.files());
        m.put("error", e.error());
        m.put("warnings", e.warnings());
        m.put("transfer", e.transfer());
        m.put("failureKind", e.failureKind());
        return m;
    }

    private static List<ExecutionInfo> rows() {
        Instant t = Instant.parse("2026-01-02T03:04:05.123Z");
        List<ExecutionInfo> rows = new ArrayList<>(List.of(
                new ExecutionInfo(
                        1,
                        7,
                        "127.0.0.2",
                        7071,
                        "/srv/app",
                        t,
                        t.plusMillis(250),
                        Outcome.STORED,
                        1L << 40,
                        99L,
                        12_345,
                        null,
                        List.of(),
                        "FULL",
                        null),
                new ExecutionInfo(
                        Long.MAX_VALUE,
                        Long.MAX_VALUE,
                        "node-1.example",
                        65_535,
                        "/",
                        t,
                        null,
                        Outcome.RUNNING,
                        0,
                        null,
                        null,
                        null,
                        List.of(),
                        null,
                        null),
                new ExecutionInfo(
                        3,
                        1,
                        "::1",
                        1,
                        "/srv/d\u00e9j\u00e0 vu/\u65e5\u672c",
                        Instant.EPOCH,
                        Instant.parse("9999-12-31T23:59:59.999999999Z"),
                        Outcome.UNCHANGED,
                        -1,
                        0L,
                        0,
                        null,
                        List.of(
                                "quote \" backslash \\ tab \t newline \n", "control \u0001 \u001f del \u007f",
                                "emoji \ud83d\ude00 and \u2028 separator", ""),
                        null,
                        null),
                new ExecutionInfo(
                        4,
                        2,
                        "127.0.0.3",
                        9,
                        "/srv/x",
                        Instant.parse("+10000-01-01T00:00:00Z"),
                        Instant.parse("-0001-12-31T23:59:59.5Z"),
                        Outcome.FAILED,
                        512,
                        null,
                        null,
                        "node unreachable: \"connection refused\" \u00fc\u00df",
                        List.of("one"),
                        null,
                        FailureKind.UNREACHABLE),
                new ExecutionInfo(
                        5,
                        3,
                        "h",
                        2,
                        "/p",
                        t,
                        t,
                        Outcome.FAILED,
                        1,
                        5L,
                        -3,
                        "",
                        List.of(),
                        "BLOCKS",
                        FailureKind.IDENTITY),
                new ExecutionInfo(
                        6,
                        3,
                        "h",
                        2,
                        "/p",
                        t,
                        t,
                        null,
                        1,
                        null,
                        Integer.MIN_VALUE,
                        null,
                        List.of(),
                        "DELTA",
                        FailureKind.OTHER)));
        for (FailureKind kind : FailureKind.values()) {
            rows.add(new ExecutionInfo(
                    10 + kind.ordinal(),
                    3,
                    "h",
                    2,
                    "/p",
                    t,
                    t,
                    Outcome.FAILED,
                    1,
                    null,
                    null,
                    "e",
                    List.of(),
                    null,
                    kind));
        }
        return rows;
    }

    @Test
    void aStreamedLogIsTheTextOfTheOldArrayOfMaps() throws Exception {
        StringWriter whole = new StringWriter();
        Output.printJson(
                new PrintWriter(whole, true),
                rows().stream().map(OutputJsonTest::mapOf).toList());

        StringWriter streamed = new StringWriter();
        Listing<ExecutionInfo> listing = Output.executions(new PrintWriter(streamed), true);
        for (ExecutionInfo e : rows()) {
            listing.add(e);
        }
        listing.finish();
        assertEquals(whole.toString(), streamed.toString());

        StringWriter oldStream = new StringWriter();
        Listing<ExecutionInfo> old = new Listing<>(
                new PrintWriter(oldStream),
                Listing.JsonWriter.ofMap(OutputJsonTest::mapOf),
                e -> null,
                new String[0],
                "",
                null);
        for (ExecutionInfo e : rows()) {
            old.add(e);
        }
        old.finish();
        assertEquals(oldStream.toString(), streamed.toString());
    }

    @Test
    void oneExecutionIsTheTextOfItsOldMap() throws Exception {
        for (ExecutionInfo e : rows()) {
            StringWriter before = new StringWriter();
            Output.printJson(new PrintWriter(before, true), mapOf(e));
            StringWriter now = new StringWriter();
            PrintWriter out = new PrintWriter(now);
            Output.execution(out, e, true);
            out.flush();
            assertEquals(before.toString(), now.toString());
        }
    }
}
