package org.clusterbackup.core.store;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.clusterbackup.core.catalog.Archive;
import org.clusterbackup.core.fs.AtomicFile;
import org.clusterbackup.core.index.VerifiedIndexes;

/**
 * Archive files under {@code DATA_DIR/archives/<target-id>/<archive-id>.tgz}, each with its index
 * {@code <archive-id>.idx} beside it. A transfer lands in a
 * {@code .partial} temp file beside its final place, is verified and fsynced, and is renamed only inside
 * the catalog transaction that records it. The catalog is the truth: at start-up {@link #sweep} deletes
 * temp files and any file the catalog does not name, so a crash at any step leaves no half archive
 * that anything points to.
 */
public final class ArchiveStore {
    private static final System.Logger LOG = System.getLogger(ArchiveStore.class.getName());
    static final String PARTIAL_SUFFIX = ".partial";
    /** Separates a temp file's name from its owner's: {@code execution-7.idx@s1.partial}. */
    static final String OWNER_MARK = "@";

    private static final String ARCHIVES = "archives";

    private final Path dataDir;
    private final Path archivesDir;
    private final WriteHook writeHook;
    /** Indexes already checked, shared by every request of this server. */
    private final VerifiedIndexes indexes = new VerifiedIndexes(VerifiedIndexes.DEFAULT_MAX_BYTES);
    /** Set once a server of a cluster knows its name; null while it is alone on its data dir. */
    private volatile TempOwner owner;

    private volatile SharedSweep shared;

    /**
     * @param writeHook called before every write to a temp file; tests use it to fail like a full disk
     */
    public ArchiveStore(Path dataDir, WriteHook writeHook) throws IOException {
        this.dataDir = dataDir.toAbsolutePath().normalize();
        this.archivesDir = this.dataDir.resolve(ARCHIVES);
        this.writeHook = writeHook;
        Files.createDirectories(archivesDir);
    }

    public ArchiveStore(Path dataDir) throws IOException {
        this(dataDir, WriteHook.NONE);
    }

    /**
     * The indexes of stored archives, each checked once and held while its file stays the same (see
     * {@link VerifiedIndexes}); {@code verify} reads the files themselves instead.
     */
    public VerifiedIndexes indexes() {
        return indexes;
    }

    /** A seam between the store and the disk. */
    @FunctionalInterface
    public interface WriteHook {
        WriteHook NONE = (file, offset, length) -> {};

        /** Throwing here is what a failing disk does to the write that follows. */
        void beforeWrite(Path file, long offset, int length) throws IOException;
    }

    /**
     * This store is a data dir several servers share: from now on temp files carry {@code owner}'s name
     * ({@code execution-7@s1.partial}), so that the others can tell them from orphans, and sweeping follows
     * {@link SharedSweep}. Called once, before this server's first run.
     *
     * @param liveness whether another server runs on the data dir
     */
    public SharedSweep shareAs(TempOwner owner, SharedSweep.Liveness liveness) {
        SharedSweep sweep = new SharedSweep(this, owner, liveness);
        this.shared = sweep;
        this.owner = owner;
        return sweep;
    }

    /** How to sweep this store when several servers share it; empty while its server is alone on it. */
    public java.util.Optional<SharedSweep> shared() {
        return java.util.Optional.ofNullable(shared);
    }

    /** A temp file's name: the run's execution id keeps it unique, the owner's name says whose it is. */
    private String tempName(long executionId, String kind) {
        TempOwner o = owner;
        return "execution-" + executionId + kind + (o == null ? "" : OWNER_MARK + o.fileName()) + PARTIAL_SUFFIX;
    }

    /** Opens a new temp file for an incoming archive of the target. */
    public TempArchive createTemp(long targetId, long executionId) throws IOException {
        Path dir = archivesDir.resolve(Long.toString(targetId));
        Files.createDirectories(dir);
        Path file = dir.resolve(tempName(executionId, ""));
        Path index = dir.resolve(tempName(executionId, ".idx"));
        FileChannel channel = FileChannel.open(
                file, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
        return new TempArchive(file, index, channel, writeHook);
    }

    /**
     * Where a delta being received for the run is inflated; start-up sweeps one a crash left, as no row names
     * it.
     */
    public Path deltaFile(long targetId, long executionId) throws IOException {
        Path dir = Files.createDirectories(archivesDir.resolve(Long.toString(targetId)));
        return dir.resolve(tempName(executionId, ".delta"));
    }

    /**
     * Moves a finished, fsynced temp file and its fsynced index to their final names and makes the renames
     * durable. The index goes first: a crash between leaves an index without its archive, which no row
     * names and start-up deletes, never an archive row whose index is half there.
     *
     * @return the archive's final name relative to the data dir, as the catalog records it
     */
    public String place(TempArchive temp, long targetId, long archiveId) throws IOException {
        Path dir = archivesDir.resolve(Long.toString(targetId));
        Path target = dir.resolve(archiveId + ".tgz");
        try {
            Files.move(temp.indexFile(), dir.resolve(archiveId + ".idx"), StandardCopyOption.ATOMIC_MOVE);
            Files.move(temp.file(), target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            throw new IOException("the data dir's file system cannot rename atomically: " + dir, e);
        }
        temp.placed();
        AtomicFile.syncDirectory(dir, AtomicFile.Sync.FORCE);
        return dataDir.relativize(target).toString();
    }

    /** The absolute path of a file name recorded in the catalog. */
    public Path resolve(String fileName) {
        return dataDir.resolve(fileName);
    }

    /**
     * Opens a stored archive file (or its index) for reading. On a shared data dir the file is marked as read
     * until the channel closes, so that retention on another server leaves it until then.
     *
     * @throws java.nio.file.NoSuchFileException it is gone (pruned, or being deleted right now)
     */
    public FileChannel openForReading(String fileName) throws IOException {
        return shared == null
                ? FileChannel.open(resolve(fileName), StandardOpenOption.READ)
                : ReadLocks.open(resolve(fileName));
    }

    /**
     * Deletes an archive file and its index; one already gone is not an error (a crash may have come
     * between). On a shared data dir a file a reader has open stays: its row is already gone, and the
     * target's holder deletes it after a later run ({@link SharedSweep#target}).
     */
    public void delete(String fileName) {
        for (String name : List.of(fileName, Archive.indexFileName(fileName))) {
            try {
                if (shared == null) {
                    Files.deleteIfExists(resolve(name));
                } else if (!ReadLocks.deleteUnlessRead(resolve(name))) {
                    LOG.log(Level.INFO, "pruned {0} is being read; left for a later sweep", name);
                }
            } catch (IOException e) {
                LOG.log(Level.WARNING, "cannot delete pruned {0}: {1} (start-up will retry)", name, e.getMessage());
            }
        }
    }

    /** The names start-up keeps for these archives: each file, and its index where it was stored with one. */
    public static Set<String> keptFiles(List<Archive> archives) {
        Set<String> kept = new java.util.HashSet<>();
        for (Archive a : archives) {
            kept.add(a.fileName());
            if (a.indexed()) {
                kept.add(a.indexFileName());
            }
        }
        return kept;
    }

    /**
     * Start-up: deletes temp files, and archive files the catalog does not name among its kept archives
     * (orphans of a crash, or files retention pruned just before one).
     *
     * @param kept file names (relative to the data dir) of every archive the catalog keeps
     * @return the files deleted, relative to the data dir
     */
    public List<String> sweep(Set<String> kept) throws IOException {
        List<String> deleted = new ArrayList<>();
        try (Stream<Path> files = Files.walk(archivesDir)) {
            for (Path p : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                String name = dataDir.relativize(p).toString();
                if (!kept.contains(name)) {
                    try {
                        Files.deleteIfExists(p);
                        deleted.add(name);
                    } catch (NoSuchFileException ignored) {
                        // gone already
                    }
                }
            }
        }
        for (String name : deleted) {
            LOG.log(Level.INFO, "start-up sweep removed {0}", name);
        }
        return deleted;
    }

    /** A file's name relative to the data dir, as the catalog records it. */
    String relative(Path file) {
        return dataDir.relativize(file).toString();
    }

    public Path archivesDir() {
        return archivesDir;
    }
}
