package org.clusterbackup.core.archive;

import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.file.Path;
import org.clusterbackup.core.fs.AtomicFile;

/**
 * Crash-safe replacement of an agent state file ({@link AtomicFile}): a crash leaves the old file or the new
 * one, never half of one.
 */
final class StateFiles {
    @FunctionalInterface
    interface Body {
        void write(DataOutputStream out) throws IOException;
    }

    private StateFiles() {}

    static void replace(Path file, Body body) throws IOException {
        AtomicFile.replace(file, out -> {
            DataOutputStream data = new DataOutputStream(out);
            body.write(data);
            data.flush();
        });
    }
}
