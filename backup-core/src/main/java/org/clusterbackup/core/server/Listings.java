package org.clusterbackup.core.server;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.LongFunction;
import org.clusterbackup.core.catalog.Archive;
import org.clusterbackup.core.catalog.Catalog;
import org.clusterbackup.core.catalog.Execution;
import org.clusterbackup.core.catalog.ExecutionQuery;
import org.clusterbackup.core.catalog.RunSummary;
import org.clusterbackup.core.catalog.Target;
import org.clusterbackup.core.model.InvalidInputException;
import org.clusterbackup.core.net.Connection;
import org.clusterbackup.core.protocol.ArchivePage;
import org.clusterbackup.core.protocol.BackupsRequest;
import org.clusterbackup.core.protocol.ExecutionPage;
import org.clusterbackup.core.protocol.LogRequest;
import org.clusterbackup.core.protocol.TargetInfo;
import org.clusterbackup.core.protocol.TargetPage;
import org.clusterbackup.core.schedule.BackupScheduler;
import org.clusterbackup.core.schedule.TargetStatus;
import org.clusterbackup.core.store.ArchiveStore;

/**
 * The listings that grow with time and scale — {@code list}, {@code backups}, {@code log} — read from the
 * catalog one page at a time with a keyset cursor (the last id sent; never an OFFSET) and sent as each page
 * is read. The server holds one page, whatever the length of the answer, and the send blocks while the
 * client is slow, so a reader of a million rows costs no more memory than one of a hundred.
 */
final class Listings {
    /** Rows per page and per catalog read; keeps every frame far below the JSON limit. */
    static final int PAGE_SIZE = ControlHandler.PAGE_SIZE;

    private final Connection connection;
    private final Catalog catalog;
    private final ArchiveStore store;
    private final BackupScheduler scheduler;
    /** Which server holds each target, for the {@code server} field. */
    private final Cluster cluster;

    Listings(Connection connection, Catalog catalog, ArchiveStore store, BackupScheduler scheduler, Cluster cluster) {
        this.connection = connection;
        this.catalog = catalog;
        this.store = store;
        this.scheduler = scheduler;
        this.cluster = cluster;
    }

    /** Active targets by id, each with where its schedule stands. */
    void list() throws IOException {
        Map<Long, RunSummary> summaries = catalog.runSummaries();
        LongFunction<String> holders = cluster.holders();
        long after = 0;
        List<Target> page;
        do {
            page = catalog.activeTargets(after, PAGE_SIZE);
            connection.send(new TargetPage(
                    page.stream().map(t -> listed(t, summaries, holders)).toList(), page.size() < PAGE_SIZE));
            if (!page.isEmpty()) {
                after = page.get(page.size() - 1).id();
            }
        } while (page.size() == PAGE_SIZE);
    }

    /** A target as {@code list} shows it: its registration, where its schedule stands, how its runs went. */
    TargetInfo listed(Target t, Map<Long, RunSummary> summaries, LongFunction<String> holders) {
        Optional<TargetStatus> status = scheduler.status(t.id());
        RunSummary summary = summaries.getOrDefault(t.id(), new RunSummary(null, null));
        return new TargetInfo(
                t.id(),
                t.node(),
                t.port(),
                t.path(),
                t.everySeconds(),
                t.registeredAt(),
                status.map(TargetStatus::state).orElse(null),
                status.map(TargetStatus::nextRunAt).orElse(null),
                summary.lastOutcome(),
                summary.lastSuccessAt(),
                summary.lastFailureKind(),
                holders.apply(t.id()));
    }

    /** Every archive of the target, newest first. */
    void backups(BackupsRequest b) throws IOException {
        long targetId = catalog.resolve(ControlHandler.selector(b.target())).id();
        Long before = null;
        List<Archive> page;
        do {
            page = catalog.archives(targetId, before, PAGE_SIZE);
            connection.send(new ArchivePage(
                    page.stream().map(a -> Views.archive(a, store)).toList(), page.size() < PAGE_SIZE));
            if (!page.isEmpty()) {
                before = page.get(page.size() - 1).id();
            }
        } while (page.size() == PAGE_SIZE);
    }

    /** Executions, newest first, filtered in the catalog. */
    void log(LogRequest l) throws IOException {
        if (l.limit() < 0) {
            throw new InvalidInputException("limit " + l.limit() + " is negative: give a count, or 0 for all");
        }
        if (l.since() != null && l.until() != null && l.until().isBefore(l.since())) {
            throw new InvalidInputException(
                    "until " + l.until() + " is before since " + l.since() + ": nothing can have started in between");
        }
        Long targetId = l.target() == null
                ? null
                : catalog.resolve(ControlHandler.selector(l.target())).id();
        long left = l.limit() == 0 ? Long.MAX_VALUE : l.limit();
        ExecutionQuery query = new ExecutionQuery(targetId, l.since(), l.until(), l.outcome(), l.beforeId(), 0);
        while (true) {
            int want = (int) Math.min(PAGE_SIZE, left);
            List<Execution> page = catalog.executions(new ExecutionQuery(
                    query.targetId(), query.since(), query.until(), query.outcome(), query.beforeId(), want));
            left -= page.size();
            boolean last = page.size() < want || left == 0;
            connection.send(
                    new ExecutionPage(page.stream().map(Views::execution).toList(), last));
            if (last) {
                return;
            }
            query = query.after(page.get(page.size() - 1).id());
        }
    }
}
