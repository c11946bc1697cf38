package org.clusterbackup.core.store;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Sweeping a data dir that several servers share, where {@link ArchiveStore#sweep}'s rule — delete what
 * this server's catalog does not name — would delete the others' work in progress:
 *
 * <ul>
 *   <li>a temp file is deleted only when its owner is this server in an earlier life (at start-up, before
 *       any run) or a server that is not running, and the owner is kept from starting until it is gone
 *       ({@link Liveness});</li>
 *   <li>an archive file the catalog does not name is deleted only by the holder of its target, after a run
 *       it recorded ({@link #target}): another server may be renaming one into place inside a catalog
 *       transaction it has yet to commit, and only the holder knows that such a transaction can no longer
 *       commit (the fence refuses a former holder).</li>
 * </ul>
 */
public final class SharedSweep {
    private static final System.Logger LOG = System.getLogger(SharedSweep.class.getName());

    /** Something done on the data dir. */
    @FunctionalInterface
    public interface Work {
        void run() throws IOException;
    }

    /** Whether a server runs on this data dir: the lock it holds while it does. */
    @FunctionalInterface
    public interface Liveness {
        /**
         * Runs {@code work} if the server whose name is written {@code ownerFileName} in file names is not
         * running, keeping it from starting until {@code work} returns.
         *
         * @return whether it was not running and {@code work} ran
         */
        boolean whileStopped(String ownerFileName, Work work) throws IOException;
    }

    private final ArchiveStore store;
    private final TempOwner self;
    private final Liveness liveness;

    public SharedSweep(ArchiveStore store, TempOwner self, Liveness liveness) {
        this.store = Objects.requireNonNull(store, "store");
        this.self = Objects.requireNonNull(self, "self");
        this.liveness = Objects.requireNonNull(liveness, "liveness");
    }

    /**
     * Start-up, before this server's first run: its own temp files (a crash's) and those of servers not
     * running. Archive files stay, named or not, for their targets' holders to judge.
     *
     * @return the files deleted, relative to the data dir
     */
    public List<String> atStart() throws IOException {
        return sweep(store.archivesDir(), Set.of(), true, 0);
    }

    /**
     * After a run of a target this server holds was recorded and retention applied: the target's directory
     * keeps the files the catalog names ({@code kept}), this server's temp files, those of servers running,
     * and archive files with an id above {@code upToArchiveId}; the rest goes (orphans of a crash, files
     * retention pruned, a fenced-out former holder's rename).
     *
     * <p>Why the bound: this server's claim may lapse right after its run was recorded, and a new holder's
     * archive, renamed into place before its transaction commits, is not yet named. Its id was handed out
     * after this server's run committed, so it is larger; an archive a former holder failed to commit got
     * its id before (its fence check, which locks the claim, comes first), so it is smaller.
     *
     * @param upToArchiveId the archive this server's run just stored
     */
    public List<String> target(long targetId, Set<String> kept, long upToArchiveId) throws IOException {
        Path dir = store.archivesDir().resolve(Long.toString(targetId));
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        return sweep(dir, kept, false, upToArchiveId);
    }

    /** @param unnamedUpTo archive files up to this id that {@code kept} does not name go; 0: none */
    private List<String> sweep(Path dir, Set<String> kept, boolean ownTemps, long unnamedUpTo) throws IOException {
        Map<String, List<Path>> tempsByOwner = new LinkedHashMap<>();
        List<String> deleted = new ArrayList<>();
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) files.filter(Files::isRegularFile)::iterator) {
                String name = p.getFileName().toString();
                if (isTemp(name)) {
                    tempsByOwner
                            .computeIfAbsent(ownerOf(name), o -> new ArrayList<>())
                            .add(p);
                } else if (archiveId(name) <= unnamedUpTo
                        && !kept.contains(store.relative(p))
                        && ReadLocks.deleteUnlessRead(p)) {
                    deleted.add(store.relative(p)); // a file still being read stays for a later sweep
                }
            }
        }
        for (Map.Entry<String, List<Path>> e : tempsByOwner.entrySet()) {
            if (e.getKey().equals(self.fileName())) {
                if (ownTemps) {
                    for (Path p : e.getValue()) {
                        delete(p, deleted);
                    }
                }
            } else {
                liveness.whileStopped(e.getKey(), () -> {
                    for (Path p : e.getValue()) {
                        delete(p, deleted);
                    }
                });
            }
        }
        for (String name : deleted) {
            LOG.log(Level.INFO, "sweep of the shared data dir removed {0}", name);
        }
        return deleted;
    }

    /** The archive id an archive or index file is named by ({@code 42.tgz}, {@code 42.idx}); MAX_VALUE if none. */
    static long archiveId(String fileName) {
        int end = 0;
        while (end < fileName.length() && end < 18 && fileName.charAt(end) >= '0' && fileName.charAt(end) <= '9') {
            end++;
        }
        return end == 0 || end == 18 ? Long.MAX_VALUE : Long.parseLong(fileName.substring(0, end));
    }

    /** A temp file: {@code .partial}, or a file made beside one ({@code execution-7.delta@s1.partial.rebuilt}). */
    static boolean isTemp(String fileName) {
        return fileName.contains(ArchiveStore.PARTIAL_SUFFIX);
    }

    /** The owner part of a temp file's name; "" for one written by a server alone on its data dir. */
    static String ownerOf(String tempName) {
        int end = tempName.lastIndexOf(ArchiveStore.PARTIAL_SUFFIX);
        int mark = tempName.lastIndexOf(ArchiveStore.OWNER_MARK, end);
        return mark < 0 ? "" : tempName.substring(mark + 1, end);
    }

    private void delete(Path p, List<String> deleted) throws IOException {
        try {
            if (Files.deleteIfExists(p)) {
                deleted.add(store.relative(p));
            }
        } catch (NoSuchFileException ignored) {
            // gone already
        }
    }
}
