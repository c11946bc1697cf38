package org.clusterbackup.server.ctl;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.clusterbackup.core.model.Display;

/**
 * The progress line of {@code run}, {@code fetch} and {@code restore}: one line on stderr, redrawn in place
 * twice a second, erased when the command ends. Shown only when stderr is a terminal and never with
 * {@code --json}: scripts and pipes see exactly what they saw before.
 */
final class Progress implements AutoCloseable {
    static final long UNKNOWN = -1;
    private static final long TICK_MILLIS = 500;

    private final PrintWriter err;
    private final String what;
    private final LongSupplier nanoTime;
    private final long started;
    private final long total;
    private volatile long bytes = UNKNOWN;
    private ScheduledExecutorService ticker;
    private int drawnWidth;

    Progress(PrintWriter err, String what, long total, LongSupplier nanoTime) {
        this.err = err;
        this.what = what;
        this.total = total;
        this.nanoTime = nanoTime;
        this.started = nanoTime.getAsLong();
    }

    /**
     * A line that redraws itself until closed, or, when {@code shown} is false, one that draws nothing.
     *
     * @param total the bytes expected, or {@link #UNKNOWN}
     */
    static Progress start(PrintWriter err, String what, long total, boolean shown) {
        Progress p = new Progress(err, what, total, System::nanoTime);
        if (shown) {
            p.ticker = Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "progress");
                t.setDaemon(true);
                return t;
            });
            p.ticker.scheduleAtFixedRate(p::draw, TICK_MILLIS, TICK_MILLIS, TimeUnit.MILLISECONDS);
        }
        return p;
    }

    /** Whether a command shows its progress: only on a terminal, and never when its output is JSON. */
    static boolean shown(boolean json, boolean stderrIsTerminal) {
        return !json && stderrIsTerminal;
    }

    /** The bytes moved so far; may be called from any thread. */
    void bytes(long soFar) {
        bytes = soFar;
    }

    /** {@code out}, telling this line how many bytes went through it. */
    OutputStream counting(OutputStream out) {
        return new FilterOutputStream(out) {
            private long count;

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
                count += len;
                bytes(count);
            }

            @Override
            public void write(int b) throws IOException {
                out.write(b);
                bytes(++count);
            }
        };
    }

    /** Draws the current line over the previous one. */
    synchronized void draw() {
        String line = line(what, bytes, total, Duration.ofNanos(nanoTime.getAsLong() - started));
        int pad = Math.max(0, drawnWidth - line.length());
        err.print("\r" + line + " ".repeat(pad));
        err.flush();
        drawnWidth = line.length();
    }

    /** Stops redrawing and erases the line, so what the command prints next starts on a clean line. */
    @Override
    public void close() {
        if (ticker != null) {
            ticker.shutdownNow();
            try {
                ticker.awaitTermination(1, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        synchronized (this) {
            if (drawnWidth > 0) {
                err.print("\r" + " ".repeat(drawnWidth) + "\r");
                err.flush();
                drawnWidth = 0;
            }
        }
    }

    /**
     * {@code fetching archive 7: 12.0 MiB of 40.0 MiB (30%), 4.0 MiB/s, ETA 0:07}. What is not known is left
     * out: without a byte count the line tells the time so far ({@code backing up …: 0:12}), without a total
     * there is no share and no ETA, and in the first second no rate.
     */
    static String line(String what, long bytes, long total, Duration elapsed) {
        StringBuilder s = new StringBuilder(what).append(": ");
        if (bytes == UNKNOWN) {
            return s.append(clock(elapsed)).toString();
        }
        s.append(Display.size(bytes));
        if (total > 0) {
            s.append(" of ")
                    .append(Display.size(total))
                    .append(" (")
                    .append(Math.min(100, bytes * 100 / total))
                    .append("%)");
        }
        long millis = elapsed.toMillis();
        if (millis >= 1000) {
            long rate = bytes * 1000 / millis;
            s.append(", ").append(Display.size(rate)).append("/s");
            if (total > 0 && rate > 0) {
                s.append(", ETA ").append(clock(Duration.ofSeconds(Math.max(0, total - bytes) / rate)));
            }
        }
        return s.toString();
    }

    /** {@code 0:07}, {@code 12:34}, {@code 1:02:03}. */
    static String clock(Duration d) {
        long s = d.toSeconds();
        return s >= 3600
                ? String.format("%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format("%d:%02d", s / 60, s % 60);
    }

    /**
     * Whether file descriptor 2 is a terminal. Linux names it in /proc; elsewhere the JDK's console check
     * (stdin and stdout on a terminal) stands in for it.
     */
    static boolean stderrIsTerminal() {
        try {
            return isTerminalDevice(
                    Files.readSymbolicLink(Path.of("/proc/self/fd/2")).toString());
        } catch (IOException | UnsupportedOperationException e) {
            return System.console() != null;
        }
    }

    static boolean isTerminalDevice(String target) {
        return target.startsWith("/dev/pts/") || target.startsWith("/dev/tty") || target.equals("/dev/console");
    }
}
