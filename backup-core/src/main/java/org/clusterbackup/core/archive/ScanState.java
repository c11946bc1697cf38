package org.clusterbackup.core.archive;

import java.util.Objects;

/**
 * What a scan needs of a tree's kept state, asked for only once its walk is done (see
 * {@link TreeArchiver#scan(java.nio.file.Path, ScanListener, boolean, java.util.function.Supplier)}), so that a
 * caller can load it while the tree is walked.
 *
 * @param cache the tree's stat cache
 * @param delivered the manifest of a delivered archive the tree is compared with (see
 *     {@link TreeArchiver#scan(java.nio.file.Path, StatCache, ScanListener, DeliveredManifests.Manifest)}), or
 *     null
 * @param prepared where a block-delta run's scan puts the deltas it works out (see {@link PreparedDeltas}), or
 *     null
 */
public record ScanState(StatCache cache, DeliveredManifests.Manifest delivered, PreparedDeltas prepared) {
    public ScanState {
        Objects.requireNonNull(cache, "cache");
    }
}
