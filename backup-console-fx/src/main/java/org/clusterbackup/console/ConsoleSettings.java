package org.clusterbackup.console;

import java.time.Duration;
import java.util.Objects;
import org.clusterbackup.core.model.HostPort;

/**
 * How the console runs, fixed at start.
 *
 * @param server the backup server to show first
 * @param refresh how often everything shown is fetched again (and an unreachable server retried)
 */
public record ConsoleSettings(HostPort server, Duration refresh, int logPage) {
    public static final Duration DEFAULT_REFRESH = Duration.ofSeconds(5);
    /** Shorter would only load the server: a refresh is a few requests and a redraw. */
    public static final Duration MIN_REFRESH = Duration.ofMillis(100);

    /** With the log's usual page ({@link org.clusterbackup.console.viewmodel.LogViewModel#PAGE}). */
    public ConsoleSettings(HostPort server, Duration refresh) {
        this(server, refresh, org.clusterbackup.console.viewmodel.LogViewModel.PAGE);
    }

    public ConsoleSettings {
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(refresh, "refresh");
        if (refresh.compareTo(MIN_REFRESH) < 0) {
            throw new IllegalArgumentException(
                    "refresh cannot be less than " + MIN_REFRESH.toMillis() + "ms, was " + refresh.toMillis() + "ms");
        }
        if (logPage < 1) {
            throw new IllegalArgumentException("the log's page must hold at least one run, was " + logPage);
        }
    }
}
