package org.clusterbackup.core.restore;

import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import org.clusterbackup.core.fs.IoReasons;

/**
 * The agent's side of a restore: extracts a {@code .tar.gz} stream into a directory that appears whole or
 * not at all.
 *
 * <p>The archive is written into a private staging directory beside the target (same parent,
 * {@code .NAME.restore-<random>}), which is renamed onto the target once the last entry and the gzip
 * trailer have been read. Any failure removes the staging directory, so a restore that fails, however
 * late, leaves nothing at the target and nothing beside it.
 *
 * <p>What is restored: regular files, directories (empty ones too; {@code ./} gives the target directory
 * its mode), symlinks as links, hard links to files restored before them; modes (setuid, setgid and sticky
 * included) and mtimes; numeric owners only when running as root (otherwise they are not attempted).
 * Directory modes and times are set at the end, deepest first, so read-only directories can be filled.
 *
 * <p>What refuses the whole archive ({@link UnsafeArchiveException}, naming the entry): an absolute name; a
 * {@code ..} segment; a symlink that is absolute, climbs above the target, or has {@code ..} after a name
 * (see {@link EntryPath#checkSymlinkTarget}); a hard link to anything but a file restored before it; a path
 * through a symlink or a file; a second entry of a path that is not a directory; devices, fifos and tar
 * types a restore does not write. The checks are made before each entry is written, so nothing is ever
 * written outside the staging directory, even on the way to a refusal.
 *
 * <p>Thread-safe if the hooks are: each call has its own buffers.
 */
public final class SafeExtractor {
    private static final System.Logger LOG = System.getLogger(SafeExtractor.class.getName());

    private final ExtractHooks hooks;
    private final RestoreLimits limits;

    /** @param hooks test seams; {@link ExtractHooks#NONE} in production */
    public SafeExtractor(ExtractHooks hooks) {
        this(hooks, RestoreLimits.DEFAULT);
    }

    /**
     * @param hooks test seams; {@link ExtractHooks#NONE} in production
     * @param limits what one restore may write, and whether setuid/setgid bits are kept
     */
    public SafeExtractor(ExtractHooks hooks, RestoreLimits limits) {
        this.hooks = Objects.requireNonNull(hooks, "hooks");
        this.limits = Objects.requireNonNull(limits, "limits");
    }

    /**
     * Reads the whole of {@code tgz} (to its end; it is not closed) and restores it at {@code target}.
     *
     * <p>{@code target} must be absent or an empty directory in an existing directory (see
     * {@link RestorePolicy#checkTarget}). An empty directory there is replaced: {@code rename(2)} does that
     * atomically on Linux. Where the file system will not, it is removed first and the staging directory
     * moved after, which leaves a moment in which the path is absent; a directory created there in that
     * moment makes the move fail, and is left alone.
     *
     * @return what was restored
     * @throws UnsafeArchiveException an entry may not be restored; nothing was left behind
     * @throws BrokenArchiveException the stream is cut off, corrupt or failed; nothing was left behind
     * @throws IOException the target is taken, or writing failed; nothing was left behind (an empty
     *         directory that was at the target stays)
     */
    public ExtractResult extract(InputStream tgz, Path target) throws IOException, UnsafeArchiveException {
        Objects.requireNonNull(tgz, "tgz");
        Path dest = Objects.requireNonNull(target, "target").toAbsolutePath();
        Path parent = dest.getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            throw new IOException("cannot restore into " + dest + ": its parent directory does not exist");
        }
        String occupied = RestorePolicy.occupant(dest);
        if (occupied != null) {
            throw new IOException("cannot restore into " + dest + ": it already exists and " + occupied);
        }
        long began = System.nanoTime();
        WriteBudget budget = new WriteBudget(limits, hooks.usableSpace(parent));
        StagingTree staging = StagingTree.createBeside(dest, limits.restoreSetid(), hooks);
        try {
            Extraction extraction = new Extraction(staging, hooks, budget);
            extraction.run(tgz);
            staging.finishDirectories();
            hooks.beforeMove(staging.root(), dest);
            moveIntoPlace(staging, dest);
            ExtractResult result = new ExtractResult(extraction.files(), extraction.bytes(), staging.warnings());
            LOG.log(
                    Level.DEBUG,
                    "restore {0}: {1} files, {2} bytes ({3} written), {4} warnings, {5} ms",
                    dest,
                    result.files(),
                    result.bytes(),
                    budget.written(),
                    result.warnings().size(),
                    Duration.ofNanos(System.nanoTime() - began).toMillis());
            return result;
        } catch (Throwable t) {
            discard(staging, dest, t);
            throw t;
        } finally {
            staging.close();
        }
    }

    private static void moveIntoPlace(StagingTree staging, Path target) throws IOException {
        try {
            staging.moveTo(target);
        } catch (FileAlreadyExistsException e) {
            if (RestorePolicy.occupant(target) != null) {
                throw cannotMove(target, e);
            }
            // This file system will not rename over an empty directory: remove it, then move. rmdir fails on
            // a directory that is not empty, so nothing put there meanwhile is lost.
            try {
                Files.delete(target);
                staging.moveTo(target);
            } catch (IOException again) {
                throw cannotMove(target, again);
            }
        } catch (IOException e) {
            throw cannotMove(target, e);
        }
    }

    private static IOException cannotMove(Path target, IOException e) {
        String occupied = RestorePolicy.occupant(target);
        return new IOException(
                "cannot move the restored tree into " + target + ": "
                        + (occupied != null ? "it now exists and " + occupied : IoReasons.reason(e)),
                e);
    }

    /**
     * Removes what the failed restore wrote. If some of it stays, the failure's message must not claim
     * otherwise: the caller reads {@link LeftBehind} from the suppressed exceptions (see {@link #leftBehind}).
     */
    private static void discard(StagingTree staging, Path target, Throwable failure) {
        try {
            staging.delete();
        } catch (IOException | RuntimeException e) {
            failure.addSuppressed(new LeftBehind(e.getMessage()));
            LOG.log(
                    Level.WARNING,
                    "restore into {0} failed, and it could not remove all it wrote: {1}",
                    target,
                    e.getMessage());
        }
    }

    /**
     * What a failed restore left on disk, in words, or null when it removed everything it wrote.
     *
     * @param failure what {@link #extract} threw
     */
    public static String leftBehind(Throwable failure) {
        for (Throwable s : failure.getSuppressed()) {
            if (s instanceof LeftBehind) {
                return s.getMessage();
            }
        }
        return null;
    }

    /** Carries what a failed restore could not remove. */
    private static final class LeftBehind extends Exception {
        LeftBehind(String what) {
            super(what, null, false, false);
        }
    }
}
