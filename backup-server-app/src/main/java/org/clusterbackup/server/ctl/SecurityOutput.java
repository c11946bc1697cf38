package org.clusterbackup.server.ctl;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.clusterbackup.core.protocol.AuditEntry;
import org.clusterbackup.core.protocol.TokenCreated;
import org.clusterbackup.core.protocol.TokenInfo;
import org.clusterbackup.core.protocol.TokenRevoked;
import org.clusterbackup.core.protocol.TrustReply;

/** How {@code backupctl} prints pins, tokens and the audit trail: the contract's JSON, or tables. */
final class SecurityOutput {
    private SecurityOutput() {}

    static void trust(PrintWriter out, TrustReply t, boolean json) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("node", t.node());
        m.put("port", t.port());
        m.put("fingerprint", t.fingerprint());
        if (json) {
            Output.printJson(out, m);
        } else {
            new Table("NODE", "PORT", "FINGERPRINT")
                    .row(t.node(), t.port(), t.fingerprint())
                    .print(out);
        }
    }

    static void created(PrintWriter out, TokenCreated t, boolean json) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", t.name());
        m.put("role", t.role());
        m.put("token", t.token());
        m.put("createdAt", t.createdAt());
        if (json) {
            Output.printJson(out, m);
        } else {
            out.println(t.token());
            out.println("(token '" + t.name() + "', role " + t.role() + "; shown only this once: keep it in a file "
                    + "readable by you alone and pass --token-file FILE)");
        }
    }

    static void tokens(PrintWriter out, List<TokenInfo> tokens, boolean json) {
        if (json) {
            Output.printJson(
                    out,
                    tokens.stream()
                            .map(t -> {
                                Map<String, Object> m = new LinkedHashMap<>();
                                m.put("name", t.name());
                                m.put("role", t.role());
                                m.put("createdAt", t.createdAt());
                                m.put("lastUsedAt", t.lastUsedAt());
                                return m;
                            })
                            .toList());
            return;
        }
        Table table = new Table("NAME", "ROLE", "CREATED", "LAST USED");
        tokens.forEach(t -> table.row(t.name(), t.role(), Output.time(t.createdAt()), Output.time(t.lastUsedAt())));
        table.print(out);
    }

    static void revoked(PrintWriter out, TokenRevoked t, boolean json) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", t.name());
        m.put("revokedAt", t.revokedAt());
        if (json) {
            Output.printJson(out, m);
        } else {
            new Table("NAME", "REVOKED")
                    .row(t.name(), Output.time(t.revokedAt()))
                    .print(out);
        }
    }

    static void audit(PrintWriter out, List<AuditEntry> entries, boolean json) {
        if (json) {
            Output.printJson(
                    out,
                    entries.stream()
                            .map(a -> {
                                Map<String, Object> m = new LinkedHashMap<>();
                                m.put("id", a.id());
                                m.put("at", a.at());
                                m.put("tokenName", a.tokenName());
                                m.put("peer", a.peer());
                                m.put("action", a.action());
                                m.put("params", a.params());
                                m.put("ok", a.ok());
                                m.put("error", a.error());
                                return m;
                            })
                            .toList());
            return;
        }
        Table table = new Table("ID", "AT", "TOKEN", "PEER", "ACTION", "OK", "PARAMS", "ERROR");
        entries.forEach(a -> table.row(
                a.id(),
                Output.time(a.at()),
                a.tokenName(),
                a.peer(),
                a.action(),
                a.ok() ? "yes" : "NO",
                a.params(),
                a.error()));
        table.print(out);
    }
}
