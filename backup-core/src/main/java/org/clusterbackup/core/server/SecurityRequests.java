package org.clusterbackup.core.server;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.clusterbackup.core.catalog.SecurityCatalog;
import org.clusterbackup.core.model.ErrorCode;
import org.clusterbackup.core.model.InvalidInputException;
import org.clusterbackup.core.model.NodeAddress;
import org.clusterbackup.core.model.RefusedException;
import org.clusterbackup.core.net.Connection;
import org.clusterbackup.core.protocol.AuditEntry;
import org.clusterbackup.core.protocol.AuditRequest;
import org.clusterbackup.core.protocol.Json;
import org.clusterbackup.core.protocol.TokenCreateRequest;
import org.clusterbackup.core.protocol.TokenCreated;
import org.clusterbackup.core.protocol.TokenInfo;
import org.clusterbackup.core.protocol.TokenRevokeRequest;
import org.clusterbackup.core.protocol.TokenRevoked;
import org.clusterbackup.core.protocol.TrustReply;
import org.clusterbackup.core.protocol.TrustRequest;
import org.clusterbackup.core.security.Fingerprint;
import org.clusterbackup.core.security.Role;
import org.clusterbackup.core.security.Tokens;

/** The control requests about security itself: agent pins, tokens and the audit trail. */
final class SecurityRequests {
    private static final System.Logger LOG = System.getLogger(SecurityRequests.class.getName());

    private final Connection connection;
    private final SecurityCatalog security;

    SecurityRequests(Connection connection, SecurityCatalog security) {
        this.connection = connection;
        this.security = security;
    }

    void trust(TrustRequest t) throws IOException {
        String node = NodeAddress.normalize(t.node());
        int port = NodeAddress.checkPort(t.port());
        Fingerprint fp = Fingerprint.parse(t.fingerprint(), "fingerprint");
        security.pinAgent(node, port, fp.value(), SecurityCatalog.PinSource.TRUST);
        LOG.log(Level.WARNING, "agent {0}:{1} pinned to {2} by an operator", node, port, fp);
        connection.send(new TrustReply(node, port, fp.value()));
    }

    /** Pins the agent of a registration that names its identity. */
    void pinRegistered(String node, int port, String fingerprint) {
        Fingerprint fp = Fingerprint.parse(fingerprint, "agent fingerprint");
        security.pinAgent(node, port, fp.value(), SecurityCatalog.PinSource.REGISTER);
    }

    /** Checks a registration's fingerprint before anything is registered. */
    static void checkFingerprint(String fingerprint) {
        if (fingerprint != null) {
            Fingerprint.parse(fingerprint, "agent fingerprint");
        }
    }

    void createToken(TokenCreateRequest r) throws IOException {
        String name = Tokens.checkName(r.name());
        Role role = Role.parse(r.role());
        String token = Tokens.generate();
        if (!security.addToken(name, role.label(), Tokens.hash(token))) {
            throw new RefusedException(
                    ErrorCode.DUPLICATE,
                    "a token named '" + name
                            + "' exists or existed (names are never reused: the audit trail names them)");
        }
        Instant created = security.tokens().stream()
                .filter(t -> t.name().equals(name))
                .findFirst()
                .orElseThrow()
                .createdAt();
        LOG.log(Level.INFO, "token {0} created with role {1}", name, role.label());
        connection.send(new TokenCreated(name, role.label(), token, created));
    }

    /** Active tokens, without their values. */
    List<TokenInfo> tokens() {
        return security.tokens().stream()
                .filter(t -> t.revokedAt() == null)
                .map(t -> new TokenInfo(t.name(), t.role(), t.createdAt(), t.lastUsedAt()))
                .toList();
    }

    void revokeToken(TokenRevokeRequest r) throws IOException {
        String name = Tokens.checkName(r.name());
        Instant at = security.revokeToken(name)
                .orElseThrow(() -> new RefusedException(ErrorCode.NOT_FOUND, "no active token named '" + name + "'"));
        LOG.log(Level.INFO, "token {0} revoked", name);
        connection.send(new TokenRevoked(name, at));
    }

    /** The newest audit entries. */
    List<AuditEntry> audit(AuditRequest r) throws IOException {
        if (r.limit() < 0) {
            throw new InvalidInputException("limit " + r.limit() + " cannot be negative");
        }
        List<AuditEntry> items = new ArrayList<>();
        for (SecurityCatalog.AuditRecord a : security.auditTrail(r.limit())) {
            JsonNode params = Json.mapper().readTree(a.paramsJson());
            items.add(new AuditEntry(a.id(), a.at(), a.tokenName(), a.peer(), a.action(), params, a.ok(), a.error()));
        }
        return items;
    }
}
