package org.clusterbackup.core.server;

import java.io.IOException;
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
 * kind, with one line saying so).
 */
final class AgentLink implements AutoCloseable {
    private final String agent;
    private final RunWatch watch;
    private BlockingConnection connection;

    /**
     * @param agent the agent as messages name it ({@link AgentDialer#label})
     * @param watch the run's deadlines and size limit
     */
    AgentLink(String agent, RunWatch watch) {
        this.agent = agent;
        this.watch = watch;
    }

    /** Connects to the agent (once). */
    void open(AgentDialer dialer, String node, int port) throws RunFailure {
        connection = dialer.open(node, port);
    }

    String agent() {
        return agent;
    }

    RunWatch watch() {
        return watch;
    }

    /** Protocol bytes received from the agent so far (0 before the connection). */
    long bytesRead() {
        return connection == null ? 0 : connection.bytesRead();
    }

    void send(Message m) throws IOException {
        connection.send(m);
    }

    /** The agent's next message; keep-alives and scan progress are taken here, with the run's deadlines. */
    Message next() throws IOException, RunFailure {
        while (true) {
            Message m = connection.receiveAny();
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
            return new RunFailure(FailureKind.REFUSED, agent + " refused: " + ErrorReply.clip(error.message()));
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
        if (connection != null) {
            connection.close();
        }
    }
}
