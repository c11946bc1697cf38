package org.clusterbackup.core.restore;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Test seams at the points where a restore can fail or be observed half done, so those cases are tested
 * deterministically. Production uses {@link #NONE}. Hooks run on the extracting thread; an exception thrown
 * by a hook fails the restore like any other, and cleans up like any other.
 */
public interface ExtractHooks {

    ExtractHooks NONE = new ExtractHooks() {};

    /**
     * Called after each entry was written into the staging directory (its own metadata set, except for
     * directories, whose metadata waits until the end).
     *
     * @param name the entry's name as the archive spells it
     * @param written where it was written, inside the staging directory
     */
    default void afterEntry(String name, Path written) throws IOException {}

    /** Called once the whole archive is in {@code staging}, just before it is moved to {@code target}. */
    default void beforeMove(Path staging, Path target) throws IOException {}

    /**
     * The bytes free for this process on the file system of {@code directory}, read once when a restore
     * starts: a seam, as a test cannot fill a real disk.
     */
    default long usableSpace(Path directory) throws IOException {
        return java.nio.file.Files.getFileStore(directory).getUsableSpace();
    }

    /**
     * Makes what was written to a restored file or directory durable ({@code fsync}); called for every one of
     * them before the tree is renamed into place, and for the parent after. A seam to count the calls.
     */
    default void sync(java.nio.channels.FileChannel channel) throws IOException {
        channel.force(true);
    }
}
