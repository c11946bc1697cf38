package org.clusterbackup.core.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.clusterbackup.core.catalog.SecurityCatalog;
import org.clusterbackup.core.model.ErrorCode;
import org.clusterbackup.core.model.RefusedException;
import org.clusterbackup.core.net.Connection;
import org.clusterbackup.core.protocol.Json;
import org.clusterbackup.core.protocol.Message;
import org.clusterbackup.core.security.Role;
import org.clusterbackup.core.security.Tokens;

/**
 * Who may do what on the control plane: each request is judged by the token its connection presented in
 * {@code Hello} (read again per request, so a revocation takes effect at once) against the role the
 * request needs, and audited when it changes state or reads archive data, refused attempts included.
 */
final class AccessControl {
    private static final System.Logger LOG = System.getLogger(AccessControl.class.getName());
    /** The one answer to a missing, wrong or revoked token: which of the three it was helps only a guesser. */
    static final String NOT_AUTHENTICATED = "not authenticated: present a valid token (--token-file, $BACKUP_TOKEN, "
            + "or the token file beside known_servers)";

    /** A request's work, which may fail with the usual exceptions. */
    @FunctionalInterface
    interface Work {
        void run() throws Exception;
    }

    /** An authenticated caller. */
    record Caller(String tokenName, Role role) {}

    /** {@code lastUsedAt} is written at most this often per token: every request would cost an fsync. */
    static final Duration LAST_USED_RESOLUTION = Duration.ofMinutes(1);

    private final SecurityCatalog security;
    private final AuthThrottle throttle;
    private final Sleeper sleeper;
    private final Clock clock;
    private final Map<String, Instant> lastUsedWritten = new ConcurrentHashMap<>();

    /** Waits out a throttle delay; tests pass one that records instead of sleeping. */
    @FunctionalInterface
    interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }

    AccessControl(SecurityCatalog security, AuthThrottle throttle, Sleeper sleeper, Clock clock) {
        this.clock = clock;
        this.security = security;
        this.throttle = throttle;
        this.sleeper = sleeper;
    }

    /** Authenticates, authorises, runs and audits one request. Refusals escape as {@link RefusedException}. */
    void handle(Connection connection, Message request, Work work) throws Exception {
        ControlPolicy.Rule rule = ControlPolicy.of(request);
        String peer = peer(connection.remoteAddress());
        Caller caller = authenticate(connection.peerToken());
        if (caller == null) {
            audit(null, peer, rule, request, false, NOT_AUTHENTICATED);
            Duration delay = throttle.failed(hostOf(connection.remoteAddress()));
            LOG.log(
                    Level.WARNING,
                    "[conn {0}] {1}: authentication failed; answering in {2} ms",
                    connection.id(),
                    peer,
                    delay.toMillis());
            sleeper.sleep(delay);
            throw new RefusedException(ErrorCode.UNAUTHORIZED, NOT_AUTHENTICATED);
        }
        connection.authenticated();
        if (!caller.role().allows(rule.role())) {
            String why = "token '" + caller.tokenName() + "' has role "
                    + caller.role().label() + "; " + describe(rule, request) + " needs "
                    + rule.role().label();
            audit(caller.tokenName(), peer, rule, request, false, why);
            throw new RefusedException(ErrorCode.FORBIDDEN, why);
        }
        recordUse(caller.tokenName());
        try {
            work.run();
        } catch (Exception e) {
            audit(caller.tokenName(), peer, rule, request, false, String.valueOf(e.getMessage()));
            throw e;
        }
        audit(caller.tokenName(), peer, rule, request, true, null);
    }

    private void recordUse(String tokenName) {
        Instant now = clock.instant();
        Instant written = lastUsedWritten.get(tokenName);
        if (written == null || !now.isBefore(written.plus(LAST_USED_RESOLUTION))) {
            lastUsedWritten.put(tokenName, now);
            security.tokenUsed(tokenName);
        }
    }

    private Caller authenticate(String token) {
        if (token == null || token.isBlank()) {
            return null;
        }
        String presented = Tokens.hash(token);
        Caller found = null;
        // Every active token is compared, in constant time each: the time taken says nothing about which.
        for (SecurityCatalog.TokenHash row : security.activeTokenHashes()) {
            if (Tokens.sameHash(row.hash(), presented) && found == null) {
                found = new Caller(row.name(), Role.parse(row.role()));
            }
        }
        return found;
    }

    private void audit(
            String tokenName, String peer, ControlPolicy.Rule rule, Message request, boolean ok, String error) {
        if (rule.action() == null) {
            return;
        }
        security.audit(tokenName, peer, rule.action(), params(request), ok, error);
    }

    /**
     * The request as the audit row's {@code params}: written straight to text, the same text a tree of it
     * printed gave (the request was made a tree, the tree text, a third of the audit's CPU).
     */
    static String params(Message request) {
        try {
            return Json.mapper().writeValueAsString(request);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a decoded request is always encodable: " + e.getMessage(), e);
        }
    }

    private static String describe(ControlPolicy.Rule rule, Message request) {
        String what = rule.action() != null
                ? rule.action()
                : request.getClass().getSimpleName().replace("Request", "").toLowerCase(java.util.Locale.ROOT);
        return "`" + what + "`";
    }

    static String peer(SocketAddress address) {
        if (address instanceof InetSocketAddress a) {
            String host =
                    a.getAddress() == null ? a.getHostString() : a.getAddress().getHostAddress();
            return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort();
        }
        return String.valueOf(address);
    }

    private static String hostOf(SocketAddress address) {
        return address instanceof InetSocketAddress a && a.getAddress() != null
                ? a.getAddress().getHostAddress()
                : String.valueOf(address);
    }
}
