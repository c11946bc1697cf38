package org.clusterbackup.cli;

import java.net.InetSocketAddress;
import java.util.concurrent.CountDownLatch;
import org.clusterbackup.core.security.Fingerprint;

/** How the daemons (server, agent) announce readiness and live until SIGTERM or Ctrl-C. */
public final class Daemon {
    private Daemon() {}

    /** Something running that closes cleanly. */
    @FunctionalInterface
    public interface Service {
        void close() throws Exception;
    }

    /**
     * Prints the readiness line {@code listening on HOST:PORT} and blocks until the JVM is asked to stop,
     * then closes {@code service} from the shutdown hook.
     *
     * @return the exit code: 0
     */
    public static int runUntilStopped(String name, Service service, InetSocketAddress bound) {
        return runUntilStopped(name, service, bound, null);
    }

    /**
     * As {@link #runUntilStopped(String, Service, InetSocketAddress)}, announcing the daemon's identity
     * ({@code fingerprint SHA256:…}) first, so whoever reads the readiness line already has it.
     */
    public static int runUntilStopped(String name, Service service, InetSocketAddress bound, Fingerprint identity) {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            try {
                                service.close();
                            } catch (Exception e) {
                                System.err.println(name + ": closing: " + Cli.oneLine(e));
                            } finally {
                                stopped.countDown();
                            }
                        },
                        "shutdown"));
        if (identity != null) {
            System.out.println(fingerprintLine(identity));
        }
        System.out.println("listening on " + Cli.format(bound));
        System.out.flush();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return Cli.EXIT_OK;
    }

    /** The line daemons and their {@code fingerprint} commands print. */
    public static String fingerprintLine(Fingerprint identity) {
        return "fingerprint " + identity.value();
    }
}
