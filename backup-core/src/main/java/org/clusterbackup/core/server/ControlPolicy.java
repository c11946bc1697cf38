package org.clusterbackup.core.server;

import java.util.Map;
import org.clusterbackup.core.protocol.Message;
import org.clusterbackup.core.security.Role;

/**
 * The role each control request needs, and the audit name of those that change state or read archive
 * data. Keyed by the request's class name so that a request added later is listed here in one line; one
 * not listed needs {@link Role#ADMIN} (closed by default) and is audited under its class name.
 */
final class ControlPolicy {
    /** @param action the audit trail's name for it, or null when it is not audited (metadata reads) */
    record Rule(Role role, String action) {}

    private static final Map<String, Rule> RULES = Map.ofEntries(
            Map.entry("ListRequest", new Rule(Role.VIEWER, null)),
            Map.entry("BackupsRequest", new Rule(Role.VIEWER, null)),
            Map.entry("LogRequest", new Rule(Role.VIEWER, null)),
            Map.entry("FilesRequest", new Rule(Role.VIEWER, null)),
            Map.entry("ChangesRequest", new Rule(Role.VIEWER, null)),
            Map.entry("AuditRequest", new Rule(Role.VIEWER, null)),
            Map.entry("ServersRequest", new Rule(Role.VIEWER, null)),
            Map.entry("TargetChangesRequest", new Rule(Role.VIEWER, null)),
            Map.entry("RunRequest", new Rule(Role.OPERATOR, "run")),
            Map.entry("FetchRequest", new Rule(Role.OPERATOR, "fetch")),
            Map.entry("FileFetchRequest", new Rule(Role.OPERATOR, "fetch")),
            Map.entry("RestoreRequest", new Rule(Role.OPERATOR, "restore")),
            Map.entry("VerifyRequest", new Rule(Role.OPERATOR, "verify")),
            Map.entry("RegisterRequest", new Rule(Role.ADMIN, "register")),
            Map.entry("UnregisterRequest", new Rule(Role.ADMIN, "unregister")),
            // A batch is audited as what it does, one entry per batch with its targets as the params.
            Map.entry("RegisterBatchRequest", new Rule(Role.ADMIN, "register")),
            Map.entry("UnregisterBatchRequest", new Rule(Role.ADMIN, "unregister")),
            Map.entry("TrustRequest", new Rule(Role.ADMIN, "trust")),
            Map.entry("TokenCreateRequest", new Rule(Role.ADMIN, "token create")),
            Map.entry("TokenRevokeRequest", new Rule(Role.ADMIN, "token revoke")),
            Map.entry("TokenListRequest", new Rule(Role.ADMIN, null)));

    private ControlPolicy() {}

    /** The requests listed by name; the rest need {@link Role#ADMIN}. */
    static java.util.Set<String> listed() {
        return RULES.keySet();
    }

    static Rule of(Message request) {
        String name = request.getClass().getSimpleName();
        return RULES.getOrDefault(name, new Rule(Role.ADMIN, name));
    }
}
