package org.clusterbackup.core.agent;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import org.clusterbackup.core.archive.ScanListener;
import org.clusterbackup.core.net.Connection;
import org.clusterbackup.core.protocol.ScanProgress;

/**
 * Tells the server how a long scan is going, so that its stall timeout sees work where keep-alives would
 * only show that the agent is alive. At most one small frame per interval; a quick scan sends none.
 */
final class ScanReporter implements ScanListener {
    static final Duration INTERVAL = Duration.ofSeconds(2);

    private final Connection connection;
    private final Clock clock;
    private long lastSentMillis;
    private long lastSent;

    ScanReporter(Connection connection, Clock clock) {
        this.connection = connection;
        this.clock = clock;
        this.lastSentMillis = clock.millis();
    }

    @Override
    public void progress(long entries) throws IOException {
        long now = clock.millis();
        if (entries > lastSent && now - lastSentMillis >= INTERVAL.toMillis()) {
            connection.send(new ScanProgress(entries));
            lastSent = entries;
            lastSentMillis = now;
        }
    }
}
