package org.clusterbackup.core.server;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import org.clusterbackup.core.net.BlockingConnection;
import org.clusterbackup.core.net.RemoteErrorException;
import org.clusterbackup.core.protocol.ErrorCode;
import org.clusterbackup.core.protocol.ProtocolException;
import org.clusterbackup.core.protocol.ProtocolLimits;
import org.clusterbackup.core.schedule.FailureKind;

/**
 * Dials a node's agent for the server (backups and restores), turning every way it can fail into one line
 * and a {@link FailureKind}: the node being down is {@code UNREACHABLE}, which backups retry as soon as it
 * answers.
 */
final class AgentDialer {
    private AgentDialer() {
    }

    /** {@code agent host:port}, how messages name an agent. */
    static String label(String node, int port) {
        return "agent " + (node.indexOf(':') >= 0 ? "[" + node + "]" : node) + ":" + port;
    }

    static BlockingConnection open(String node, int port, ServerSettings settings) throws RunFailure {
        String agent = label(node, port);
        try {
            return BlockingConnection.open(new InetSocketAddress(node, port), "server", settings.agentConnectTimeout(),
                    settings.agentIdleTimeout(), ProtocolLimits.DEFAULT);
        } catch (RemoteErrorException e) {
            FailureKind kind = e.code() == ErrorCode.BUSY ? FailureKind.UNREACHABLE : FailureKind.OTHER;
            throw new RunFailure(kind, agent + " refused the connection: " + e.getMessage(), e);
        } catch (ConnectException e) {
            throw new RunFailure(FailureKind.UNREACHABLE, "cannot reach " + agent + ": connection refused", e);
        } catch (SocketTimeoutException e) {
            throw new RunFailure(FailureKind.UNREACHABLE, "cannot reach " + agent + ": no answer within "
                    + settings.agentConnectTimeout().toSeconds() + " s", e);
        } catch (UnknownHostException e) {
            throw new RunFailure(FailureKind.UNREACHABLE, "cannot reach " + agent + ": unknown host", e);
        } catch (NoRouteToHostException e) {
            throw new RunFailure(FailureKind.UNREACHABLE, "cannot reach " + agent + ": no route to host", e);
        } catch (ProtocolException e) {
            // Fixed words: whatever listens there (a web server, a database) is not quoted back.
            throw new RunFailure(FailureKind.OTHER, agent + " does not speak the Cluster Backup protocol: its answer"
                    + " to Hello was not a Hello frame", e);
        } catch (IOException e) {
            throw new RunFailure(FailureKind.UNREACHABLE, "cannot reach " + agent + ": " + e.getMessage(), e);
        }
    }
}
