package org.clusterbackup.core.server;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongFunction;
import org.clusterbackup.core.catalog.Catalog;
import org.clusterbackup.core.catalog.RunSummary;
import org.clusterbackup.core.catalog.Target;
import org.clusterbackup.core.catalog.TargetChange;
import org.clusterbackup.core.model.InvalidInputException;
import org.clusterbackup.core.net.Connection;
import org.clusterbackup.core.protocol.TargetChangePage;
import org.clusterbackup.core.protocol.TargetChangesRequest;
import org.clusterbackup.core.protocol.TargetCursor;
import org.clusterbackup.core.protocol.TargetInfo;

/**
 * Answers "which targets changed since this cursor" from the catalog's change stamps, a page at a time:
 * a console refreshing 50,000 targets reads the few hundred that changed, not all of them. The answer is
 * everything anew (a reset) when the cursor is absent or from another run of the server, whose schedule
 * state this run does not know.
 *
 * <p>The new cursor is the stamp read before the first page. A target changed while the pages go out is
 * stamped above it, so the next request reads it again: it may come twice, never not at all.
 */
final class ChangedTargets {
    static final int PAGE_SIZE = Listings.PAGE_SIZE;

    private final Connection connection;
    private final Catalog catalog;
    private final Listings listings;
    private final Cluster cluster;
    /** Names this run of the server (see {@link TargetCursor#epoch}). */
    private final String epoch;

    ChangedTargets(Connection connection, Catalog catalog, Listings listings, Cluster cluster, String epoch) {
        this.connection = connection;
        this.catalog = catalog;
        this.listings = listings;
        this.cluster = cluster;
        this.epoch = epoch;
    }

    void serve(TargetChangesRequest r) throws IOException {
        if (r.recheck().size() > TargetChangesRequest.MAX_RECHECK) {
            throw new InvalidInputException("asked to recheck " + r.recheck().size() + " targets; at most "
                    + TargetChangesRequest.MAX_RECHECK + " at a time");
        }
        long upTo = catalog.targetChangeSequence();
        TargetCursor since = r.since();
        TargetCursor next = new TargetCursor(epoch, upTo);
        LongFunction<String> holders = cluster.holders();
        if (since == null || !since.epoch().equals(epoch) || since.sequence() > upTo) {
            everything(next, holders);
            return;
        }
        Set<Long> recheck = new LinkedHashSet<>(r.recheck());
        TargetChange.Key after = TargetChange.Key.after(since.sequence());
        List<TargetChange> page;
        do {
            page = catalog.changedTargets(after, upTo, PAGE_SIZE);
            List<Target> targets = page.stream().map(TargetChange::target).toList();
            targets.forEach(t -> recheck.remove(t.id()));
            if (!page.isEmpty()) {
                send(targets, false, null, holders);
                after = page.get(page.size() - 1).key();
            }
        } while (page.size() == PAGE_SIZE);
        List<Long> ids = new ArrayList<>(recheck);
        int from = 0;
        do {
            int to = Math.min(ids.size(), from + PAGE_SIZE);
            List<Long> removed = new ArrayList<>();
            List<Target> targets = new ArrayList<>();
            for (long id : ids.subList(from, to)) {
                Optional<Target> t = catalog.target(id);
                if (t.isPresent()) {
                    targets.add(t.get());
                } else {
                    removed.add(id); // no such target (any more, or ever): the client drops it all the same
                }
            }
            send(targets, removed, false, to == ids.size() ? next : null, holders);
            from = to;
        } while (from < ids.size());
    }

    /** Every active target by id, as a reset. */
    private void everything(TargetCursor next, LongFunction<String> holders) throws IOException {
        long after = 0;
        List<Target> page;
        do {
            page = catalog.activeTargets(after, PAGE_SIZE);
            send(page, true, page.size() < PAGE_SIZE ? next : null, holders);
            if (!page.isEmpty()) {
                after = page.get(page.size() - 1).id();
            }
        } while (page.size() == PAGE_SIZE);
    }

    private void send(List<Target> targets, boolean reset, TargetCursor cursor, LongFunction<String> holders)
            throws IOException {
        send(targets, List.of(), reset, cursor, holders);
    }

    /** One page: registered targets as {@code list} shows them, unregistered ones as removed ids. */
    private void send(
            List<Target> targets,
            List<Long> alsoRemoved,
            boolean reset,
            TargetCursor cursor,
            LongFunction<String> holders)
            throws IOException {
        List<Target> active = targets.stream().filter(Target::active).toList();
        Map<Long, RunSummary> summaries =
                catalog.runSummaries(active.stream().map(Target::id).toList());
        List<Long> removed = new ArrayList<>(alsoRemoved);
        targets.stream().filter(t -> !t.active()).forEach(t -> removed.add(t.id()));
        List<TargetInfo> items =
                active.stream().map(t -> listings.listed(t, summaries, holders)).toList();
        connection.send(new TargetChangePage(reset, items, removed, cursor, cursor != null));
    }
}
