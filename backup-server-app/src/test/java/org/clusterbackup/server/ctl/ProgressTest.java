package org.clusterbackup.server.ctl;

import static org.clusterbackup.server.ctl.Progress.UNKNOWN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The progress line of run, fetch and restore: what it says, how it redraws, and who never sees it. */
class ProgressTest {
    private static final long MIB = 1024 * 1024;

    @Test
    void aByteCountShowsItsSizeAndAfterTheFirstSecondItsRate() {
        assertEquals(
                "fetching archive 7: 512 B", Progress.line("fetching archive 7", 512, UNKNOWN, Duration.ofMillis(300)));
        assertEquals(
                "fetching archive 7: 3.0 MiB, 1.5 MiB/s",
                Progress.line("fetching archive 7", 3 * MIB, UNKNOWN, Duration.ofSeconds(2)));
    }

    @Test
    void aKnownTotalAddsTheShareAndTheTimeLeft() {
        assertEquals(
                "fetching archive 7: 10.0 MiB of 40.0 MiB (25%), 2.0 MiB/s, ETA 0:15",
                Progress.line("fetching archive 7", 10 * MIB, 40 * MIB, Duration.ofSeconds(5)));
        assertEquals(
                "fetching archive 7: 40.0 MiB of 40.0 MiB (100%), 8.0 MiB/s, ETA 0:00",
                Progress.line("fetching archive 7", 40 * MIB, 40 * MIB, Duration.ofSeconds(5)));
    }

    @Test
    void withoutAByteCountTheLineTellsTheTimeSoFar() {
        assertEquals(
                "backing up 127.0.0.2 /srv/app: 0:07",
                Progress.line("backing up 127.0.0.2 /srv/app", UNKNOWN, UNKNOWN, Duration.ofSeconds(7)));
        assertEquals(
                "restoring archive 3: 1:02:03",
                Progress.line("restoring archive 3", UNKNOWN, UNKNOWN, Duration.ofSeconds(3723)));
    }

    @Test
    void theLineIsRedrawnInPlaceAndErasedAtTheEnd() {
        StringWriter screen = new StringWriter();
        AtomicLong nanos = new AtomicLong();
        Progress p = new Progress(new PrintWriter(screen), "fetch", UNKNOWN, nanos::get);
        nanos.set(Duration.ofSeconds(2).toNanos());
        p.bytes(3 * MIB);
        p.draw();
        nanos.set(Duration.ofSeconds(3).toNanos());
        p.bytes(3000);
        p.draw();
        p.close();
        String first = "fetch: 3.0 MiB, 1.5 MiB/s";
        String second = "fetch: 2.9 KiB, 1000 B/s";
        assertEquals(
                "\r" + first + "\r" + second + " ".repeat(first.length() - second.length()) + "\r"
                        + " ".repeat(second.length()) + "\r",
                screen.toString());
    }

    @Test
    void aCountingStreamPassesTheBytesOnAndCountsThem() throws IOException {
        AtomicLong nanos = new AtomicLong(Duration.ofSeconds(1).toNanos());
        StringWriter screen = new StringWriter();
        Progress p = new Progress(new PrintWriter(screen), "fetch", UNKNOWN, nanos::get);
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        try (OutputStream out = p.counting(sink)) {
            out.write(new byte[] {1, 2, 3, 4}, 1, 2);
            out.write(9);
        }
        assertEquals(3, sink.size());
        nanos.set(Duration.ofMillis(1500).toNanos());
        p.draw();
        assertEquals("\rfetch: 3 B", screen.toString());
    }

    @Test
    void onlyATerminalSeesTheLineAndNeverWithJson() {
        assertTrue(Progress.shown(false, true));
        assertFalse(Progress.shown(true, true), "--json: the output is for programs");
        assertFalse(Progress.shown(false, false), "stderr goes to a file or a pipe");
        assertFalse(Progress.stderrIsTerminal(), "the test runner reads our stderr through a pipe or a file");
        assertTrue(Progress.isTerminalDevice("/dev/pts/3"));
        assertTrue(Progress.isTerminalDevice("/dev/tty1"));
        assertFalse(Progress.isTerminalDevice("pipe:[123456]"));
        assertFalse(Progress.isTerminalDevice("/tmp/backupctl.log"));
        assertFalse(Progress.isTerminalDevice("/dev/null"));
    }

    @Test
    void aHiddenLineWritesNothing() {
        StringWriter screen = new StringWriter();
        try (Progress p = Progress.start(new PrintWriter(screen), "fetch", UNKNOWN, false)) {
            p.bytes(42);
        }
        assertEquals("", screen.toString());
    }
}
