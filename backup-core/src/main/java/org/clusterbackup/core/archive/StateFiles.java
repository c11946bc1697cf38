package org.clusterbackup.core.archive;

import java.io.BufferedOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Crash-safe replacement of an agent state file: written to a temp file beside it, forced, renamed over it,
 * and the directory forced, so a crash leaves the old file or the new one, never half of one.
 */
final class StateFiles {
    private static final System.Logger LOG = System.getLogger(StateFiles.class.getName());

    @FunctionalInterface
    interface Body {
        void write(DataOutputStream out) throws IOException;
    }

    private StateFiles() {
    }

    static void replace(Path file, Body body) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path temp = Files.createTempFile(dir, file.getFileName() + ".", ".tmp");
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16));
                body.write(out);
                out.flush();
                channel.force(true);
            }
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(temp);
            throw e;
        }
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true); // makes the rename itself durable
        } catch (IOException e) {
            // Some file systems refuse to sync a directory; the rename is then as durable as they make it.
            LOG.log(Level.DEBUG, "state file {0}: directory sync failed: {1}", file, e.toString());
        }
    }
}
