package org.clusterbackup.core.model;

import java.net.InetSocketAddress;

/**
 * A {@code HOST:PORT} address as flags give it ({@code 127.0.0.1:7070}, {@code [::1]:7070}).
 *
 * @param host host name or IP address, without brackets
 * @param port 0–65535; 0 only where a listener may pick a free port
 */
public record HostPort(String host, int port) {

    /**
     * @param what how the message names the value ({@code "server address"}, {@code "--listen"})
     * @param allowZero whether port 0 (any free port) is meaningful here
     */
    public static HostPort parse(String text, String what, boolean allowZero) {
        if (text == null || text.isBlank()) {
            throw new InvalidInputException(what + " is empty: expected HOST:PORT");
        }
        int colon = text.lastIndexOf(':');
        if (colon <= 0 || colon == text.length() - 1) {
            throw new InvalidInputException(what + " '" + text + "' must be HOST:PORT");
        }
        String host = text.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        } else if (host.indexOf(':') >= 0) {
            throw new InvalidInputException(what + " '" + text + "': write an IPv6 address in brackets, [::1]:7070");
        }
        String portText = text.substring(colon + 1);
        long port;
        try {
            port = portText.length() > 6 ? -1 : Long.parseLong(portText);
        } catch (NumberFormatException e) {
            throw new InvalidInputException(what + " '" + text + "': port '" + portText + "' is not a number");
        }
        if (port < (allowZero ? 0 : 1) || port > 65535) {
            throw new InvalidInputException(
                    what + " '" + text + "': port " + portText + " is outside " + (allowZero ? "0" : "1") + "-65535");
        }
        try {
            host = NodeAddress.normalize(host);
        } catch (InvalidInputException e) {
            throw new InvalidInputException(what + " '" + text + "': " + e.getMessage());
        }
        return new HostPort(host, (int) port);
    }

    /** An unresolved socket address; it resolves when a connection is made. */
    public InetSocketAddress toSocketAddress() {
        return new InetSocketAddress(host, port);
    }

    @Override
    public String toString() {
        return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
    }
}
