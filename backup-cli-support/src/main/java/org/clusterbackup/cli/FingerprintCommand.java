package org.clusterbackup.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.clusterbackup.core.security.Identity;

/**
 * {@code fingerprint}: prints a daemon's identity without starting it, creating the identity if there is
 * none. It takes no data-dir lock, so it also answers while the daemon runs.
 */
public final class FingerprintCommand implements Callable<Integer> {
    private final String daemon;
    private final String commonName;
    private final Path dir;

    /**
     * @param daemon the program's name, for messages ({@code backup-server})
     * @param commonName the name in a certificate made here
     * @param dir the data or state dir that holds {@code identity.p12}
     */
    public FingerprintCommand(String daemon, String commonName, Path dir) {
        this.daemon = daemon;
        this.commonName = commonName;
        this.dir = dir;
    }

    @Override
    public Integer call() {
        try {
            System.out.println(Daemon.fingerprintLine(
                    Identity.loadOrCreate(dir, commonName).fingerprint()));
            return Cli.EXIT_OK;
        } catch (IOException e) {
            System.err.println(daemon + " fingerprint: " + Cli.oneLine(e));
            return Cli.EXIT_START_FAILED;
        }
    }
}
