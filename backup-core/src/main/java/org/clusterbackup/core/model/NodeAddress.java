package org.clusterbackup.core.model;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Node names: a DNS host name, an IPv4 address or an IPv6 address (without brackets). Host names are
 * case-insensitive, so they are kept in lower case: {@code Node1} and {@code node1} are one node.
 */
public final class NodeAddress {
    private static final Pattern HOST_NAME =
            Pattern.compile("(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*");
    private static final Pattern DOTTED = Pattern.compile("[0-9.]+");
    private static final Pattern IPV4 = Pattern.compile(
            "((25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])");
    private static final Pattern IPV6 = Pattern.compile("[0-9a-f:.]{2,45}");

    private NodeAddress() {}

    public static String normalize(String node) {
        if (node == null || node.isEmpty()) {
            throw new InvalidInputException("node is empty: expected a host name or an IP address");
        }
        String n = node.toLowerCase(Locale.ROOT);
        if (n.indexOf(':') >= 0) {
            if (IPV6.matcher(n).matches() && n.chars().filter(c -> c == ':').count() >= 2) {
                return n;
            }
            throw new InvalidInputException(
                    "node '" + node + "' is not a valid IPv6 address (give it without brackets or port)");
        }
        if (DOTTED.matcher(n).matches()) {
            if (IPV4.matcher(n).matches()) {
                return n;
            }
            throw new InvalidInputException("node '" + node + "' is not a valid IPv4 address");
        }
        if (HOST_NAME.matcher(n).matches()) {
            return n;
        }
        throw new InvalidInputException("node '" + node + "' is not a valid host name or IP address");
    }

    /** Checks an agent or server port. */
    public static int checkPort(long port) {
        if (port < 1 || port > 65535) {
            throw new InvalidInputException("port " + port + " is outside 1-65535");
        }
        return (int) port;
    }
}
