package org.clusterbackup.server.ctl;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.io.PrintWriter;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.clusterbackup.core.model.Frequency;
import org.clusterbackup.core.protocol.Json;
import org.clusterbackup.core.protocol.TargetInfo;

/**
 * How {@code backupctl} prints results: JSON in exactly the contract's shapes (field names, order, nulls),
 * or tables for people with times in the local zone.
 */
final class Output {
    private static final DateTimeFormatter LOCAL_TIME =
            DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss").withZone(ZoneId.systemDefault());

    private Output() {
    }

    static void target(PrintWriter out, TargetInfo t, boolean json) {
        if (json) {
            printJson(out, targetJson(t));
        } else {
            targetTable(List.of(t)).print(out);
        }
    }

    static void targets(PrintWriter out, List<TargetInfo> targets, boolean json) {
        if (json) {
            printJson(out, targets.stream().map(Output::targetJson).toList());
        } else if (targets.isEmpty()) {
            out.println("no targets registered");
        } else {
            targetTable(targets).print(out);
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

    static String time(Instant instant) {
        return instant == null ? null : LOCAL_TIME.format(instant);
    }

    static void printJson(PrintWriter out, Object value) {
        try {
            out.println(Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsString(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render JSON output", e);
        }
    }
}
