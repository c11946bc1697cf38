package org.clusterbackup.core.fs;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.clusterbackup.core.concurrent.DaemonThreads;

/**
 * Starts the writeback of a file being written from start to end (an archive arriving or being built) while
 * it is written, so that the force that makes it durable at the end finds little left to write.
 *
 * <p>A server with memory to spare keeps a whole archive's pages dirty until that final force (the kernel
 * starts writing back only past a share of memory), which then writes a hundred mebibytes at once while the
 * run waits. Here, each time {@link #STEP} more bytes have been written, the file is forced on a background
 * thread; the writer does not wait for it. At most one such force per file is under way: a writer faster than
 * the disk skips steps rather than queueing them.
 *
 * <p>A background force that fails is not forgotten: {@link #force()} reports it. (On Linux an {@code fsync}
 * error is reported once; a later {@code fsync} of the same file may succeed although the pages it failed to
 * write are lost. The final force alone would then call a damaged file durable.)
 *
 * <p>One writer thread calls {@link #wrote}, then {@link #force()}; the background forces run on a shared
 * daemon thread.
 */
public final class WriteBehind {
    /** Written bytes between background forces: 16 MiB. */
    public static final long STEP = 16L << 20;

    /** How a file is forced; a seam for tests (a disk that fails, a force that blocks). */
    @FunctionalInterface
    public interface Forcer {
        /** Forces the file's content (its metadata too if {@code metadata}). */
        void force(boolean metadata) throws IOException;
    }

    /** One thread for the background forces of every file: they wait on the disk, not on a core. */
    private static final ThreadPoolExecutor FLUSHER = flusher();

    private static ThreadPoolExecutor flusher() {
        ThreadPoolExecutor p = new ThreadPoolExecutor(
                1, 1, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), DaemonThreads.named("write-behind"));
        p.allowCoreThreadTimeOut(true);
        return p;
    }

    private final Forcer forcer;
    private final long step;
    private long written;
    private long nextAt;
    /** Guards the fields below. */
    private final Object lock = new Object();

    private boolean inFlight;
    private IOException failed;

    /** Forces {@code channel} behind its writer every {@link #STEP} bytes. */
    public WriteBehind(FileChannel channel) {
        this(channel::force, STEP);
    }

    /** Forces with {@code forcer} behind the writer every {@code step} bytes. */
    public WriteBehind(Forcer forcer, long step) {
        if (step <= 0) {
            throw new IllegalArgumentException("step must be positive, was " + step);
        }
        this.forcer = forcer;
        this.step = step;
        this.nextAt = step;
    }

    /** Counts {@code n} more bytes written; past the next step, starts a force unless one is under way. */
    public void wrote(long n) {
        written += n;
        if (written < nextAt) {
            return;
        }
        nextAt = written + step;
        synchronized (lock) {
            if (inFlight || failed != null) {
                return;
            }
            inFlight = true;
        }
        FLUSHER.execute(this::forceBehind);
    }

    /** {@code out}, which writes to the file, telling this of every byte it hands on ({@link #wrote}). */
    public OutputStream following(OutputStream out) {
        return new FilterOutputStream(out) {
            @Override
            public void write(int b) throws IOException {
                out.write(b);
                wrote(1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
                wrote(len);
            }
        };
    }

    private void forceBehind() {
        IOException error = null;
        try {
            forcer.force(false);
        } catch (IOException e) {
            error = e;
        } catch (RuntimeException e) {
            error = new IOException(e.toString(), e);
        }
        synchronized (lock) {
            inFlight = false;
            if (error != null && failed == null) {
                failed = error;
            }
            lock.notifyAll();
        }
    }

    /**
     * Waits for a background force under way, then forces the file and its metadata.
     *
     * @throws IOException this force failed, or an earlier background force did (with its error as the cause)
     */
    public void force() throws IOException {
        awaitBackground();
        forcer.force(true);
    }

    private void awaitBackground() throws IOException {
        boolean interrupted = false;
        synchronized (lock) {
            while (inFlight) {
                try {
                    lock.wait();
                } catch (InterruptedException e) {
                    interrupted = true; // the force must still be seen through; the flag is kept for the caller
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            if (failed != null) {
                throw new IOException("writing the file back failed: " + failed.getMessage(), failed);
            }
        }
    }
}
