package org.clusterbackup.core.fs;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WriteBehindTest {
    /** One force as the file saw it. */
    private record Forced(boolean metadata, String thread) {}

    @Test
    void forcesTheFileBehindItsWriterEachStepThenWhollyAtTheEnd() throws Exception {
        List<Forced> forced = new CopyOnWriteArrayList<>();
        CountDownLatch behindDone = new CountDownLatch(1);
        WriteBehind behind = new WriteBehind(
                metadata -> {
                    forced.add(new Forced(metadata, Thread.currentThread().getName()));
                    if (!metadata) {
                        behindDone.countDown();
                    }
                },
                100);
        behind.wrote(99);
        assertTrue(forced.isEmpty(), "no force before a whole step was written");
        behind.wrote(1);
        assertTrue(behindDone.await(10, TimeUnit.SECONDS), "a force behind the writer after a step");
        behind.force();
        assertEquals(new Forced(false, "write-behind"), forced.get(0));
        assertEquals(new Forced(true, Thread.currentThread().getName()), forced.get(forced.size() - 1));
    }

    @Test
    void aFailedForceBehindTheWriterFailsTheFinalForceThoughThatOneSucceeds() throws Exception {
        IOException eio = new IOException("Input/output error");
        CountDownLatch tried = new CountDownLatch(1);
        WriteBehind behind = new WriteBehind(
                metadata -> {
                    if (!metadata) {
                        tried.countDown();
                        throw eio;
                    }
                },
                10);
        behind.wrote(10);
        assertTrue(tried.await(10, TimeUnit.SECONDS));
        IOException e = assertThrows(IOException.class, behind::force);
        assertSame(eio, e.getCause());
        assertTrue(e.getMessage().contains("Input/output error"), e.getMessage());
    }

    @Test
    void oneForceAtATimeAndTheFinalForceWaitsForIt() throws Exception {
        List<Forced> forced = new CopyOnWriteArrayList<>();
        CountDownLatch started = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        WriteBehind behind = new WriteBehind(
                metadata -> {
                    if (!metadata) {
                        started.countDown();
                        try {
                            assertTrue(release.await(10, TimeUnit.SECONDS));
                        } catch (InterruptedException e) {
                            throw new IOException(e);
                        }
                    }
                    forced.add(new Forced(metadata, Thread.currentThread().getName()));
                },
                10);
        behind.wrote(10);
        assertTrue(started.await(10, TimeUnit.SECONDS));
        for (int i = 0; i < 50; i++) {
            behind.wrote(10); // the disk is slow: these steps are skipped, not queued
        }
        Thread finisher = new Thread(() -> {
            try {
                behind.force();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        finisher.start();
        // The finisher waits for the force under way (WAITING: in the wait for it), and forces nothing meanwhile.
        while (finisher.getState() != Thread.State.WAITING) {
            assertTrue(finisher.isAlive(), "the final force returned while a force behind the writer was under way");
            Thread.onSpinWait();
        }
        assertTrue(forced.isEmpty(), "forced " + forced);
        release.countDown();
        finisher.join(10_000);
        assertEquals(List.of(new Forced(false, "write-behind"), new Forced(true, finisher.getName())), forced);
    }

    @Test
    void aRealFileWrittenThroughItHoldsWhatWasWritten(@TempDir Path dir) throws Exception {
        byte[] data = new byte[(int) (2 * WriteBehind.STEP + 12_345)];
        new Random(7).nextBytes(data);
        Path file = dir.resolve("archive.tgz");
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            WriteBehind behind = new WriteBehind(channel);
            OutputStream out = behind.following(Channels.newOutputStream(channel));
            for (int at = 0; at < data.length; at += 65_536) {
                out.write(data, at, Math.min(65_536, data.length - at));
            }
            out.write(1);
            behind.force();
        }
        byte[] read = Files.readAllBytes(file);
        assertEquals(data.length + 1, read.length);
        assertArrayEquals(data, java.util.Arrays.copyOf(read, data.length));
        assertEquals(1, read[data.length]);
    }

    @Test
    void aStepMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> new WriteBehind(metadata -> {}, 0));
    }
}
