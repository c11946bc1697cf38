package org.clusterbackup.core.schedule;

import java.time.Duration;
import java.util.Objects;

/**
 * What the scheduler knows of a target: enough to run it and to group it with the other targets of its
 * node for probing.
 *
 * @param id the catalog's stable id
 * @param node host name or address of the agent
 * @param port the agent's data-plane port
 * @param path the directory backed up
 * @param every the period, measured from one run's start to the next
 */
public record ScheduledTarget(long id, String node, int port, String path, Duration every) {
    public static final Duration MIN_EVERY = Duration.ofSeconds(1);

    public ScheduledTarget {
        Objects.requireNonNull(node, "node");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(every, "every");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be between 1 and 65535, was " + port);
        }
        // The catalog's minimum too; a shorter period would keep the timer spinning, not back anything up.
        if (every.compareTo(MIN_EVERY) < 0) {
            throw new IllegalArgumentException("every cannot be less than 1s, was " + every);
        }
    }

    /** {@code node:port path}, how log lines name a target. */
    public String label() {
        return endpointLabel(node, port) + " " + path;
    }

    /** {@code 2h}, {@code 5m}, {@code 90s}: how log lines write a period or a wait. */
    static String brief(Duration d) {
        long s = d.getSeconds();
        if (d.getNano() != 0 || s == 0) {
            return d.toString();
        }
        if (s % 3600 == 0) {
            return s / 3600 + "h";
        }
        return s % 60 == 0 ? s / 60 + "m" : s + "s";
    }

    static String endpointLabel(String node, int port) {
        return (node.indexOf(':') >= 0 ? "[" + node + "]" : node) + ":" + port;
    }
}
