package org.clusterbackup.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import org.clusterbackup.cli.Cli;
import org.clusterbackup.core.server.api.BackupServer;
import org.clusterbackup.core.server.api.ServerSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FingerprintCommandTest {
    @TempDir
    Path dataDir;

    private String fingerprintCommand() {
        PrintStream saved = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        try {
            assertEquals(Cli.EXIT_OK, Cli.run(new ServerMain(), "fingerprint", "--data-dir", dataDir.toString()));
        } finally {
            System.setOut(saved);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    @Test
    void printsTheIdentityTheServerThenUsesAndAnswersWhileItRuns() throws Exception {
        String before = fingerprintCommand();
        try (BackupServer server = BackupServer.start(
                new ServerSettings(new InetSocketAddress("127.0.0.1", 0), dataDir), Clock.systemUTC())) {
            assertEquals("fingerprint " + server.fingerprint().value() + "\n", before);
            assertEquals(before, fingerprintCommand(), "no data-dir lock is taken");
        }
    }
}
