package org.clusterbackup.core.server;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.clusterbackup.core.client.BackupClient;
import org.clusterbackup.core.model.HostPort;
import org.clusterbackup.core.server.api.BackupServer;

/** What the tests of several servers share. */
final class Clusters {
    private Clusters() {}

    /**
     * An admin's client of one server of a cluster: the first server to start wrote the admin token, and
     * the catalog they share makes it good on every one of them.
     */
    static BackupClient admin(BackupServer server, String token) {
        return BackupClient.of(new HostPort("127.0.0.1", server.address().getPort()), "cli")
                .withServerFingerprint(server.fingerprint())
                .withToken(token);
    }

    /** Waits for the other side of a seam; a bound only so that a broken test ends. */
    static void awaitLatch(CountDownLatch latch) {
        try {
            assertTrue(latch.await(2, TimeUnit.MINUTES), "timed out waiting for the other side");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
