package org.clusterbackup.core.server;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.Set;
import org.clusterbackup.core.model.ErrorCode;
import org.clusterbackup.core.model.FailureKind;
import org.clusterbackup.core.net.BlockingConnection;
import org.clusterbackup.core.protocol.Data;
import org.clusterbackup.core.protocol.ErrorReply;
import org.clusterbackup.core.protocol.KeepAlive;
import org.clusterbackup.core.protocol.Message;
import org.clusterbackup.core.protocol.ProtocolException;
import org.clusterbackup.core.protocol.ScanProgress;

/**
 * One run's connection to its agent: the agent's messages, with the run's deadlines checked at each, and
 * what a message out of place or a broken connection means for the run (a {@link RunFailure} of the right
 * kind, with one line saying so). The connection may be one kept from an earlier run ({@link AgentPool}); it
 * goes back there only when the run says its conversation ended cleanly.
 */
final class AgentLink implements AutoCloseable {
    /**
     * First replies to a backup request after which the agent keeps the connection (its handler answers them
     * and waits for the next request), so the conversation is over and the connection sound. Every other
     * {@code Error} may be followed by the agent's close: {@code BUSY} too, which the agent's transport sends
     * before closing a connection when the listener holds too many partly received frames, with the code of
     * the handler's busy root (which keeps it): the server cannot tell the two apart, so a busy answer is not
     * kept. {@code UNAUTHORIZED}, {@code PROTOCOL} and {@code INTERNAL} are always followed by a close.
     */
    private static final Set<ErrorCode> REFUSALS = Set.of(ErrorCode.REFUSED, ErrorCode.BAD_REQUEST, ErrorCode.FAILED);

    private final String agent;
    private final RunWatch watch;
    private AgentPool.Lease lease;
    private BlockingConnection connection;
    /** The connection's byte count when this run took it: a kept connection counts earlier runs' too. */
    private long startBytes;

    private boolean clean;
    /** A frame other than a keep-alive arrived on this run's connection: the agent answered this request. */
    private boolean heard;
    /** Bytes of this run received on a connection it gave up for a new one (a delta before a redial). */
    private long earlierBytes;
    /** This run's byte count when it gave its connection up ({@link #close}); -1 before. */
    private long bytesAtClose = -1;

    /**
     * @param agent the agent as messages name it ({@link AgentDialer#label})
     * @param watch the run's deadlines and size limit
     */
    AgentLink(String agent, RunWatch watch) {
        this.agent = agent;
        this.watch = watch;
    }

    /** Takes a connection to the agent (once): a kept one, or a new one. */
    void open(AgentPool pool, String node, int port) throws RunFailure {
        lease = pool.take(node, port);
        use(lease.connection());
    }

    private void use(BlockingConnection c) {
        connection = c;
        startBytes = c.bytesRead();
    }

    /**
     * Sends the run's first request and returns the agent's first reply. A kept connection that fails before
     * a byte of the reply arrived, or whose first reply is the agent's word that it closed the connection
     * ({@code Error{PROTOCOL}}: its idle timeout crossed our request), was closed by the agent meanwhile: the
     * request goes again once, on a new connection. A backup request has no effect the agent cannot repeat.
     * A keep-alive before the failure does not count as an answer: the agent may have sent it after the last
     * frame of the conversation before. A read that timed out is not retried: that agent is there but silent.
     */
    Message request(Message request) throws IOException, RunFailure {
        return ask(request, lease.reused());
    }

    /**
     * Sends a second request of this run on its connection, after a delta that did not apply, and returns the
     * first reply, with the rule of {@link #request} for a kept connection: the connection sat silent while
     * this server received and tried to apply the delta (minutes, for a large archive), long enough for the
     * agent to idle-close it (120 s), evict it for a newcomer (idle for 5 s), or restart.
     */
    Message requestAgain(Message request) throws IOException, RunFailure {
        return ask(request, true);
    }

    private Message ask(Message request, boolean mayBeStale) throws IOException, RunFailure {
        long before = bytesRead();
        heard = false; // a frame of this request's reply, not of the conversation before
        try {
            connection.send(request);
            Message first = next();
            if (!(mayBeStale && first instanceof ErrorReply e && e.code() == ErrorCode.PROTOCOL)) {
                return firstReply(first);
            }
        } catch (SocketTimeoutException e) {
            throw e;
        } catch (IOException e) {
            if (!mayBeStale || heard) {
                throw e;
            }
        }
        earlierBytes = before; // what the stale connection brought after the request is not this run's
        connection = null;
        lease.redial();
        use(lease.connection());
        connection.send(request);
        return firstReply(next());
    }

    /** A refusal ends the conversation with the connection still sound: it may serve the next run. */
    private Message firstReply(Message first) {
        if (first instanceof ErrorReply e && REFUSALS.contains(e.code())) {
            clean = true;
        }
        return first;
    }

    /** The conversation ended cleanly (its last message consumed): the connection may serve the next run. */
    void finished() {
        clean = true;
    }

    String agent() {
        return agent;
    }

    RunWatch watch() {
        return watch;
    }

    /** Protocol bytes this run received from the agent so far (the {@code Hello}s not included). */
    long bytesRead() {
        if (bytesAtClose >= 0) {
            return bytesAtClose; // the connection may be serving another run by now
        }
        return earlierBytes + (connection == null ? 0 : connection.bytesRead() - startBytes);
    }

    /** The agent's next message; keep-alives and scan progress are taken here, with the run's deadlines. */
    Message next() throws IOException, RunFailure {
        while (true) {
            Message m = connection.receiveAny();
            heard |= !(m instanceof KeepAlive);
            if (m instanceof Data) {
                watch.progressed();
            } else if (m instanceof ScanProgress p) {
                watch.scanned(p.entries());
            }
            watch.check();
            if (!(m instanceof KeepAlive) && !(m instanceof ScanProgress)) {
                return m;
            }
        }
    }

    /** The failure for a message the run did not expect: the agent's refusal, or a protocol slip. */
    RunFailure unexpected(Message m, String expected) {
        if (m instanceof ErrorReply error) {
            // UNAUTHORIZED: the agent no longer trusts this server's identity, on a connection made before.
            FailureKind kind = error.code() == ErrorCode.UNAUTHORIZED ? FailureKind.IDENTITY : FailureKind.REFUSED;
            return new RunFailure(kind, agent + " refused: " + ErrorReply.clip(error.message()));
        }
        return new RunFailure(
                FailureKind.OTHER,
                agent + " sent " + m.getClass().getSimpleName() + " where " + expected + " was expected");
    }

    /** The failure for a connection that broke, or spoke nonsense. */
    RunFailure broken(IOException e) {
        if (e instanceof ProtocolException) {
            return new RunFailure(FailureKind.OTHER, "protocol error from " + agent + ": " + e.getMessage(), e);
        }
        String what = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
        return new RunFailure(
                FailureKind.UNREACHABLE,
                "connection to " + agent + " broke after " + bytesRead() + " bytes: " + what,
                e);
    }

    @Override
    public void close() {
        bytesAtClose = bytesRead();
        if (lease != null) {
            lease.release(clean);
        }
    }
}
