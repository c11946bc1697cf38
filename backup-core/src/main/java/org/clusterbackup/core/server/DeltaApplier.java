package org.clusterbackup.core.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongConsumer;
import org.clusterbackup.core.archive.EntryType;
import org.clusterbackup.core.archive.ManifestEntry;
import org.clusterbackup.core.archive.TreeDigest;
import org.clusterbackup.core.catalog.Execution;
import org.clusterbackup.core.catalog.NewArchive;
import org.clusterbackup.core.index.ArchiveFormatException;
import org.clusterbackup.core.index.ArchiveSynthesizer;
import org.clusterbackup.core.index.BlockRebuild;
import org.clusterbackup.core.index.EntryKind;
import org.clusterbackup.core.index.Extent;
import org.clusterbackup.core.index.IndexEntry;
import org.clusterbackup.core.index.IndexFile;
import org.clusterbackup.core.index.InflatedSegments;
import org.clusterbackup.core.protocol.DeltaEnd;

/**
 * Builds the new archive from the base and a received delta (see {@link ArchiveSynthesizer}) and accepts it
 * only if the tree digest computed from what was written (every entry of the new index) equals the agent's,
 * and so do the file counts. Anything else rejects the result, with the reason.
 */
final class DeltaApplier {
    /** The delta did not give the archive the agent described; the caller asks for a full one. */
    static final class Rejected extends Exception {
        Rejected(String reason) {
            super(reason);
        }
    }

    /**
     * Plain tar of base segments kept between the block rebuild and the synthesis, at most: a temp file
     * beside the delta, gone when the run ends.
     */
    static final long MAX_KEPT = 256L << 20;

    private DeltaApplier() {}

    /** The archive built, and how it came: {@link Execution#DELTA} or {@link Execution#BLOCKS}. */
    record Applied(NewArchive archive, String transfer) {}

    /**
     * Builds the archive from a received delta: a plain delta tar, or (if {@code blocks}) a block delta, whose
     * files are rebuilt first (see {@link BlockRebuild}) into a temp file beside it, deleted after.
     *
     * @param maxTar the run's bound on an archive (0: none), which the rebuilt tar must keep too
     */
    static Applied apply(
            Path baseArchive,
            String baseSha256,
            IndexFile baseIndex,
            Path delta,
            boolean blocks,
            Set<String> removed,
            int level,
            Path outArchive,
            Path outIndex,
            DeltaEnd end,
            long maxTar,
            LongConsumer progress)
            throws IOException, Rejected {
        if (!blocks) {
            return new Applied(
                    apply(
                            baseArchive,
                            baseSha256,
                            baseIndex,
                            delta,
                            Map.of(),
                            null,
                            removed,
                            level,
                            outArchive,
                            outIndex,
                            end,
                            progress),
                    Execution.DELTA);
        }
        Path rebuilt = delta.resolveSibling(delta.getFileName() + ".rebuilt");
        try (InflatedSegments kept =
                InflatedSegments.create(delta.resolveSibling(delta.getFileName() + ".segments"), MAX_KEPT)) {
            BlockRebuild.Result r;
            try {
                r = BlockRebuild.rebuild(delta, baseArchive, baseIndex, rebuilt, maxTar, kept);
            } catch (ArchiveFormatException e) {
                throw new Rejected(e.getMessage());
            }
            NewArchive built = apply(
                    baseArchive,
                    baseSha256,
                    baseIndex,
                    rebuilt,
                    r.extents(),
                    kept,
                    removed,
                    level,
                    outArchive,
                    outIndex,
                    end,
                    progress);
            return new Applied(built, r.copiedBytes() > 0 ? Execution.BLOCKS : Execution.DELTA);
        } finally {
            Files.deleteIfExists(rebuilt);
        }
    }

    private static NewArchive apply(
            Path baseArchive,
            String baseSha256,
            IndexFile baseIndex,
            Path deltaTar,
            Map<String, List<Extent>> extents,
            InflatedSegments kept,
            Set<String> removed,
            int level,
            Path outArchive,
            Path outIndex,
            DeltaEnd end,
            LongConsumer progress)
            throws IOException, Rejected {
        TreeDigest digest = new TreeDigest();
        int[] files = {0};
        long[] entries = {0};
        RuntimeException[] bad = {null};
        ArchiveSynthesizer.Result result;
        try {
            result = ArchiveSynthesizer.synthesize(
                    baseArchive,
                    baseSha256,
                    baseIndex,
                    deltaTar,
                    extents,
                    kept,
                    removed,
                    level,
                    outArchive,
                    outIndex,
                    e -> {
                        try {
                            digest.add(manifestEntry(e));
                        } catch (IllegalArgumentException ex) {
                            bad[0] = ex;
                        }
                        if (e.kind() != EntryKind.DIR) {
                            files[0]++;
                        }
                        progress.accept(++entries[0]);
                    });
        } catch (ArchiveFormatException e) {
            throw new Rejected(e.getMessage());
        }
        if (bad[0] != null) {
            throw new Rejected(
                    "an entry of the result is not one the agent could have written: " + bad[0].getMessage());
        }
        String built = digest.finish();
        if (!built.equals(end.digest()) || files[0] != end.files()) {
            throw new Rejected("the result has tree digest " + built + " and " + files[0] + " files, the agent's tree "
                    + end.digest() + " and " + end.files());
        }
        return new NewArchive(result.size(), files[0], result.sha256(), built, result.indexSha256());
    }

    /**
     * The entry as the agent's manifest has it, for the tree digest: made (and checked) once, where the
     * factories and {@code with…} copies would check every field three times for each entry of the archive.
     */
    static ManifestEntry manifestEntry(IndexEntry e) {
        return switch (e.kind()) {
            case DIR ->
                entry(
                        e.path().equals(".") ? ManifestEntry.ROOT_NAME : e.path() + "/",
                        EntryType.DIRECTORY,
                        e,
                        0,
                        "",
                        "");
            case FILE -> entry(e.path(), EntryType.FILE, e, e.size(), e.sha256(), "");
            case SYMLINK -> entry(e.path(), EntryType.SYMLINK, e, 0, "", e.linkTarget());
            case HARDLINK -> entry(e.path(), EntryType.HARDLINK, e, 0, "", e.linkTarget());
        };
    }

    private static ManifestEntry entry(
            String name, EntryType type, IndexEntry e, long size, String sha256, String link) {
        return new ManifestEntry(
                name,
                type,
                e.mode(),
                size,
                e.mtimeSeconds(),
                e.uid(),
                e.gid(),
                sha256,
                link,
                e.mtimeNanos(),
                e.xattrs() == null ? "" : e.xattrs());
    }
}
