package org.clusterbackup.core.agent;

import java.lang.System.Logger.Level;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.clusterbackup.core.archive.DeliveredManifests;
import org.clusterbackup.core.archive.EntryType;
import org.clusterbackup.core.archive.ManifestEntry;
import org.clusterbackup.core.archive.TreeScan;
import org.clusterbackup.core.protocol.BackupRequest;

/**
 * Whether a delta against a delivered manifest is worth sending rather than the archive whole. A delta
 * carries the new and changed files' content, compressed for the wire; the server inflates it and deflates
 * those files again to build the archive. When nearly every byte of the tree is new (a big file added to an
 * empty or small tree, a tree replaced), the delta saves the network almost nothing and costs the server a
 * second deflate of all of it, on its own cores: the whole archive, deflated once by the agent on all its
 * cores and only inflated and indexed by the server, is then the better transfer. So a delta is sent unless
 * its content is at least {@link #BIG_BYTES} and {@link #MOSTLY_NEW_PERCENT}% of the tree's file bytes or
 * more; small changes always go as deltas, whatever their share (docs/PROTOCOL.md, "Delta or whole"). In a
 * block-delta run a changed file the base holds is not counted as new: it goes as copies of its previous
 * version plus what changed.
 */
final class DeltaWorth {
    private static final System.Logger LOG = System.getLogger(DeltaWorth.class.getName());

    /** Below this much new content a delta is always sent: the server's extra deflate is cheap. */
    static final long BIG_BYTES = 64L << 20;

    /** The share of the tree's file bytes, new or changed, from which a big delta goes whole instead. */
    static final int MOSTLY_NEW_PERCENT = 90;

    private DeltaWorth() {}

    /**
     * The base to send {@code scan} as a delta against: {@code offered} if the request accepts deltas and the
     * delta is worth it, else empty (a full archive).
     */
    static Optional<DeliveredManifests.Manifest> choose(
            BackupRequest request, Optional<DeliveredManifests.Manifest> offered, TreeScan scan) {
        if (!request.deltaAccepted() || offered.isEmpty()) {
            return Optional.empty();
        }
        if (worthIt(scan, offered.get(), request.blocksAccepted())) {
            return offered;
        }
        LOG.log(
                Level.INFO,
                "{0}: nearly all of the tree is new since the archive the server offered: sent whole, not as a delta",
                scan.root());
        return Optional.empty();
    }

    /**
     * True if {@code scan} should go as a delta against {@code base}; false to send the archive whole.
     *
     * @param blocks whether changed files may go as block deltas of their base versions
     */
    static boolean worthIt(TreeScan scan, DeliveredManifests.Manifest base, boolean blocks) {
        Map<String, ManifestEntry> before = new HashMap<>();
        for (ManifestEntry e : base.entries()) {
            if (e.type() == EntryType.FILE) {
                before.put(e.name(), e);
            }
        }
        long total = 0;
        long fresh = 0;
        for (ManifestEntry e : scan.entries()) {
            if (e.type() != EntryType.FILE) {
                continue;
            }
            total += e.size();
            ManifestEntry old = before.get(e.name());
            // A file the scan left unhashed differs from the base in size; one it hashed is compared by hash.
            boolean changed =
                    old == null || old.size() != e.size() || !old.sha256().equals(e.sha256());
            if (changed && (old == null || !blocks)) {
                fresh += e.size();
            }
        }
        return fresh < BIG_BYTES || fresh * 100 < total * MOSTLY_NEW_PERCENT;
    }
}
