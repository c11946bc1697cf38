package org.clusterbackup.server.ctl;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.clusterbackup.core.model.Display;
import org.clusterbackup.core.model.Frequency;
import org.clusterbackup.core.model.OutcomeLabel;
import org.clusterbackup.core.protocol.ArchiveInfo;
import org.clusterbackup.core.protocol.ExecutionInfo;
import org.clusterbackup.core.protocol.Json;
import org.clusterbackup.core.protocol.ServerInfo;
import org.clusterbackup.core.protocol.TargetInfo;

/**
 * How {@code backupctl} prints results: JSON in exactly the contract's shapes (field names, order, nulls),
 * or tables for people with times in the local zone.
 */
final class Output {
    private static final Display LOCAL = Display.local();

    private Output() {}

    static void target(PrintWriter out, TargetInfo t, boolean json) {
        if (json) {
            printJson(out, targetJson(t));
        } else {
            targetTable(List.of(t)).print(out);
        }
    }

    /** The {@code list} listing, printed as its pages arrive. */
    static Listing<TargetInfo> targets(PrintWriter out, boolean json) {
        return new Listing<>(
                out,
                json ? Listing.JsonWriter.ofMap(Output::listedTargetJson) : null,
                t -> new Object[] {
                    t.id(),
                    t.node(),
                    t.port(),
                    t.path(),
                    Frequency.format(t.everySeconds()),
                    t.state(),
                    time(t.nextRunAt()),
                    OutcomeLabel.of(t.lastOutcome(), t.lastFailureKind()),
                    time(t.lastSuccessAt()),
                    t.server()
                },
                new String[] {
                    "ID", "NODE", "PORT", "PATH", "EVERY", "STATE", "NEXT RUN", "LAST", "LAST SUCCESS", "SERVER"
                },
                "no targets registered",
                t -> OutcomeLabel.identity(t.lastOutcome(), t.lastFailureKind())
                        ? identityNotice(t.node(), t.port())
                        : null);
    }

    /**
     * After a table, one line per agent whose identity failed a run: nothing else an operator sees in a list
     * needs them as much (a key that changed may be an attack; waiting does not fix it).
     */
    private static String identityNotice(String node, int port) {
        return "! " + node + ":" + port + ": a run FAILED on an identity check (the error says "
                + "whose); if the agent's key changed on purpose, pin the new one with `backupctl trust --node "
                + node + " --port " + port + " --fingerprint FP`";
    }

    /** A {@code list} row: the registration and where its schedule stands. */
    static Map<String, Object> listedTargetJson(TargetInfo t) {
        Map<String, Object> m = targetJson(t);
        m.put("state", t.state());
        m.put("nextRunAt", t.nextRunAt());
        m.put("lastOutcome", t.lastOutcome());
        m.put("lastSuccessAt", t.lastSuccessAt());
        m.put("lastFailureKind", t.lastFailureKind());
        m.put("server", t.server());
        return m;
    }

    /** {@code servers}: the live servers of the cluster. */
    static void servers(PrintWriter out, List<ServerInfo> servers, boolean json) {
        if (json) {
            printJson(
                    out,
                    servers.stream()
                            .map(s -> {
                                Map<String, Object> m = new LinkedHashMap<>();
                                m.put("name", s.name());
                                m.put("address", s.address());
                                m.put("targets", s.targets());
                                m.put("heartbeatAt", s.heartbeatAt());
                                return m;
                            })
                            .toList());
        } else if (servers.isEmpty()) {
            out.println("no live servers");
        } else {
            Table table = new Table("NAME", "ADDRESS", "TARGETS", "HEARTBEAT");
            servers.forEach(s -> table.row(s.name(), s.address(), s.targets(), time(s.heartbeatAt())));
            table.print(out);
        }
    }

    static Map<String, Object> targetJson(TargetInfo t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", t.id());
        m.put("node", t.node());
        m.put("port", t.port());
        m.put("path", t.path());
        m.put("everySeconds", t.everySeconds());
        m.put("registeredAt", t.registeredAt());
        return m;
    }

    private static Table targetTable(List<TargetInfo> targets) {
        Table table = new Table("ID", "NODE", "PORT", "PATH", "EVERY", "REGISTERED");
        for (TargetInfo t : targets) {
            table.row(t.id(), t.node(), t.port(), t.path(), Frequency.format(t.everySeconds()), time(t.registeredAt()));
        }
        return table;
    }

    /** The {@code backups} listing, printed as its pages arrive. */
    static Listing<ArchiveInfo> archives(PrintWriter out, boolean json) {
        return new Listing<>(
                out,
                json ? Listing.JsonWriter.ofMap(Output::archiveJson) : null,
                a -> new Object[] {
                    a.id(),
                    time(a.createdAt()),
                    Display.size(a.sizeBytes()),
                    a.files(),
                    a.sha256().substring(0, 12),
                    a.corrupt() ? "corrupt" : a.stored() ? "stored" : "pruned",
                    a.file()
                },
                new String[] {"ID", "CREATED", "SIZE", "FILES", "SHA256", "STATE", "FILE"},
                "no backups yet",
                null);
    }

    static Map<String, Object> archiveJson(ArchiveInfo a) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", a.id());
        m.put("createdAt", a.createdAt());
        m.put("sizeBytes", a.sizeBytes());
        m.put("files", a.files());
        m.put("sha256", a.sha256());
        m.put("stored", a.stored());
        m.put("file", a.file());
        m.put("corrupt", a.corrupt());
        return m;
    }

    /** The {@code log} listing, printed as its pages arrive. */
    static Listing<ExecutionInfo> executions(PrintWriter out, boolean json) {
        return new Listing<>(
                out,
                json ? Output::executionJson : null,
                Output::executionCells,
                EXECUTION_HEADERS,
                "no executions yet",
                e -> OutcomeLabel.identity(e.outcome(), e.failureKind()) ? identityNotice(e.node(), e.port()) : null);
    }

    static void execution(PrintWriter out, ExecutionInfo e, boolean json) throws IOException {
        if (json) {
            JsonGenerator g = Listing.generator(out);
            executionJson(g, e);
            g.flush();
            out.println();
        } else {
            new Table(EXECUTION_HEADERS).row(executionCells(e)).print(out);
        }
    }

    private static final String[] EXECUTION_HEADERS = {
        "ID", "STARTED", "TARGET", "OUTCOME", "TOOK", "RECEIVED", "ARCHIVE", "FILES", "NOTES"
    };

    private static Object[] executionCells(ExecutionInfo e) {
        String took = e.finishedAt() == null
                ? null
                : Display.duration(java.time.Duration.between(e.startedAt(), e.finishedAt()));
        String notes = e.error() != null
                ? e.error()
                : e.warnings().isEmpty() ? "" : e.warnings().size() + " warning(s): " + String.join("; ", e.warnings());
        return new Object[] {
            e.id(),
            time(e.startedAt()),
            e.targetId() + " " + e.node() + ":" + e.port() + " " + e.path(),
            OutcomeLabel.of(e.outcome(), e.failureKind()),
            took,
            Display.size(e.bytesReceived()),
            e.archiveId(),
            e.files(),
            notes
        };
    }

    /**
     * A {@code log} row written straight into the generator: the contract's fields in its order, nulls
     * written, no map in between (a million rows would be a million maps). The same text as Jackson makes
     * of the map of these fields, which {@code OutputJsonTest} holds it to.
     */
    static void executionJson(JsonGenerator g, ExecutionInfo e) throws IOException {
        g.writeStartObject();
        g.writeNumberField("id", e.id());
        g.writeNumberField("targetId", e.targetId());
        g.writeStringField("node", e.node());
        g.writeNumberField("port", e.port());
        g.writeStringField("path", e.path());
        g.writeFieldName("startedAt");
        Json.writeTime(g, e.startedAt());
        g.writeFieldName("finishedAt");
        Json.writeTime(g, e.finishedAt());
        g.writeStringField("outcome", e.outcome() == null ? null : e.outcome().name());
        g.writeNumberField("bytesReceived", e.bytesReceived());
        g.writeFieldName("archiveId");
        if (e.archiveId() == null) {
            g.writeNull();
        } else {
            g.writeNumber(e.archiveId());
        }
        g.writeFieldName("files");
        if (e.files() == null) {
            g.writeNull();
        } else {
            g.writeNumber(e.files());
        }
        g.writeStringField("error", e.error());
        g.writeArrayFieldStart("warnings");
        for (String warning : e.warnings()) {
            g.writeString(warning);
        }
        g.writeEndArray();
        g.writeStringField("transfer", e.transfer());
        g.writeStringField(
                "failureKind", e.failureKind() == null ? null : e.failureKind().name());
        g.writeEndObject();
    }

    /**
     * Counts of what a bulk command did: as a JSON object of {@code name, count} pairs in order, or one line
     * for people ({@code registered 3, reactivated 0, unchanged 2}).
     */
    static void counts(PrintWriter out, boolean json, Object... namesAndCounts) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < namesAndCounts.length; i += 2) {
            m.put((String) namesAndCounts[i], namesAndCounts[i + 1]);
        }
        if (json) {
            printJson(out, m);
        } else {
            out.println(m.entrySet().stream()
                    .map(e -> e.getKey().replace("notFound", "not found") + " " + e.getValue())
                    .collect(java.util.stream.Collectors.joining(", ")));
        }
    }

    /** Local time, or null (shown as {@code -}) for none. */
    static String time(Instant instant) {
        return instant == null ? null : LOCAL.time(instant);
    }

    static void printJson(PrintWriter out, Object value) {
        try {
            out.println(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render JSON output", e);
        }
    }
}
