package org.clusterbackup.core.client;

import java.io.EOFException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import org.clusterbackup.core.model.HostPort;
import org.clusterbackup.core.protocol.ProtocolException;

/** Says in one line for people why talking to a server failed, without a Java class name where avoidable. */
final class ConnectionFailures {
    private ConnectionFailures() {}

    /** One line that says what went wrong talking to the server, without a Java class name where avoidable. */
    static String describe(HostPort server, IOException e) {
        String where = "server " + server;
        if (e instanceof ConnectException) {
            return "cannot reach the " + where + ": connection refused (is backup-server running there?)";
        }
        if (e instanceof UnknownHostException) {
            return "cannot reach the " + where + ": unknown host";
        }
        if (e instanceof NoRouteToHostException) {
            return "cannot reach the " + where + ": no route to host";
        }
        if (e instanceof SocketTimeoutException) {
            return "no answer from the " + where + ": " + e.getMessage();
        }
        if (e instanceof EOFException) {
            return "the " + where + " closed the connection: " + e.getMessage();
        }
        if (e instanceof ProtocolException) {
            return "protocol error talking to the " + where + ": " + e.getMessage();
        }
        return "lost the connection to the " + where + ": " + e.getMessage();
    }
}
