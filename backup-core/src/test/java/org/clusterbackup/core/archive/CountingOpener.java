package org.clusterbackup.core.archive;

import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The standard opener, counting opens and refusing the paths it is told to, as an unreadable file would. */
final class CountingOpener implements FileOpener {
    private final List<Path> opened = Collections.synchronizedList(new ArrayList<>());
    private final Set<Path> denied = Collections.synchronizedSet(new HashSet<>());

    @Override
    public SeekableByteChannel open(Path file, SafeOpen safe) throws IOException {
        opened.add(file);
        if (denied.contains(file)) {
            throw new AccessDeniedException(file.toString());
        }
        return safe.open();
    }

    void deny(Path file) {
        denied.add(file);
    }

    int opens() {
        return opened.size();
    }

    List<Path> opened() {
        return List.copyOf(opened);
    }

    void reset() {
        opened.clear();
    }
}
