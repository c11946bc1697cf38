package org.clusterbackup.core.catalog;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Random;
import org.clusterbackup.core.model.RunTrigger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Not a test: the synthetic catalog behind the execution-log figures of docs/PERFORMANCE.md. Runs only when
 * asked ({@code -Dbench.targets=10000 -Dbench.days=2}); it writes the rows directly (no server), as the
 * scheduler and the catalog would have: targets started in due order at a 1-minute period with a few
 * milliseconds of lateness, ids in start order, most runs UNCHANGED and kept in ranges, a STORED run (with its
 * archive row) every {@code bench.changeHours} hours on average, a FAILED one a day. Then it prints the
 * catalog's bytes per execution and the time of the reads the log makes.
 */
@EnabledIfSystemProperty(named = "bench.targets", matches = "\\d+")
class ExecutionLogScaleBench {
    private static final long T0 = Instant.parse("2026-01-01T00:00:00Z").toEpochMilli();

    @TempDir
    Path dir;

    @Test
    void measure() throws Exception {
        int targets = Integer.getInteger("bench.targets");
        int days = Integer.getInteger("bench.days", 2);
        double changeHours = Double.parseDouble(System.getProperty("bench.changeHours", "4"));
        Path file = Path.of(System.getProperty("bench.dir", dir.toString())).resolve("catalog.db");
        long executions;
        if (Boolean.getBoolean("bench.reuse") && Files.exists(file)) {
            executions = (long) targets * days * 1440; // as generated before, to within the lateness drift
        } else {
            Files.deleteIfExists(file);
            Catalog.open(file, Clock.systemUTC()).close();
            long t = System.nanoTime();
            executions = generate(file, targets, days, changeHours);
            System.out.printf(
                    "generated %,d executions of %,d targets over %d days in %.1f s%n",
                    executions, targets, days, (System.nanoTime() - t) / 1e9);
        }
        long bytes = Files.size(file);
        System.out.printf(
                "catalog %,d bytes: %.2f bytes per execution; a year of %,d targets at 1 minute: %.1f GB%n",
                bytes, (double) bytes / executions, targets, (double) bytes / executions * targets * 525_600 / 1e9);
        printTables(file, executions);
        if (Boolean.getBoolean("bench.postgres")) {
            PostgresCopy.printSizes(file, executions);
        }
        if (!Boolean.parseBoolean(System.getProperty("bench.reads", "true"))) {
            return; // sizes only
        }
        Clock clock = Clock.fixed(Instant.ofEpochMilli(T0).plus(Duration.ofDays(days)), ZoneOffset.UTC);
        try (Catalog catalog = Catalog.open(file, clock)) {
            Random random = new Random(5);
            Timings oneDay = new Timings();
            for (int i = 0; i < 220; i++) {
                long target = 1 + random.nextInt(targets);
                Instant since = Instant.ofEpochMilli(T0).plus(Duration.ofDays(random.nextInt(days)));
                ExecutionQuery q = new ExecutionQuery(target, since, since.plus(Duration.ofDays(1)), null, null, 0);
                int n = oneDay.time(i >= 20, () -> catalog.executions(q)).size();
                // a day at a period of 60 s plus lateness: 1440 runs, or 1439 as the drift crosses a day's edge
                assertTrue(n == 1439 || n == 1440, "a day of one target at 1 minute: " + n);
            }
            oneDay.print("log of one target over one day (1440 rows)");
            Timings head = new Timings();
            Timings deep = new Timings();
            Timings next = new Timings();
            Timings lastHour = new Timings();
            Timings lastHourNext = new Timings();
            Instant hourAgo = clock.instant().minus(Duration.ofHours(1));
            for (int i = 0; i < 25; i++) {
                List<Execution> page = head.time(true, () -> catalog.executions(ExecutionQuery.newest(null, 100)));
                long cursor = page.get(0).id() - random.nextLong(executions - 2000);
                List<Execution> deepPage = deep.time(
                        true,
                        () -> catalog.executions(
                                ExecutionQuery.newest(null, 1000).after(cursor)));
                long after = deepPage.get(deepPage.size() - 1).id();
                next.time(
                        true,
                        () -> catalog.executions(
                                ExecutionQuery.newest(null, 1000).after(after)));
                ExecutionQuery hour = new ExecutionQuery(null, hourAgo, null, null, null, 1000);
                List<Execution> recent = lastHour.time(true, () -> catalog.executions(hour));
                long below = recent.get(recent.size() - 1).id();
                lastHourNext.time(true, () -> catalog.executions(hour.after(below)));
            }
            head.print("log of all targets, newest 100");
            deep.print("log of all targets, a page of 1000 below a random cursor");
            next.print("log of all targets, the page of 1000 after that one");
            lastHour.print("log --since of the last hour, all targets, first page of 1000");
            lastHourNext.print("log --since of the last hour, all targets, second page of 1000");
        }
    }

    /** Each table's and index's pages (dbstat): what the bytes per execution are made of. */
    private static void printTables(Path file, long executions) throws java.sql.SQLException {
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + file);
                Statement s = db.createStatement();
                java.sql.ResultSet rs = s.executeQuery("SELECT name, SUM(pgsize) AS bytes, SUM(payload) AS payload,"
                        + " COUNT(*) AS pages FROM dbstat GROUP BY name ORDER BY bytes DESC")) {
            while (rs.next()) {
                System.out.printf(
                        "  %-28s %,14d bytes in %,9d pages (%.3f B/execution; payload %.3f B/execution)%n",
                        rs.getString("name"),
                        rs.getLong("bytes"),
                        rs.getLong("pages"),
                        rs.getLong("bytes") / (double) executions,
                        rs.getLong("payload") / (double) executions);
            }
        }
    }

    /** CPU time of the calling thread (the catalog reads on it) and wall time of each timed call. */
    private static final class Timings {
        private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
        private final List<Long> cpu = new ArrayList<>();
        private final List<Long> wall = new ArrayList<>();

        <T> T time(boolean keep, java.util.concurrent.Callable<T> call) throws Exception {
            long c = THREADS.getCurrentThreadCpuTime();
            long w = System.nanoTime();
            T result = call.call();
            if (keep) {
                cpu.add(THREADS.getCurrentThreadCpuTime() - c);
                wall.add(System.nanoTime() - w);
            }
            return result;
        }

        void print(String what) {
            System.out.printf("%s: CPU %s; wall %s%n", what, summary(cpu), summary(wall));
        }

        private static String summary(List<Long> nanos) {
            long[] sorted = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
            return String.format(
                    "median %.1f ms, p95 %.1f ms, max %.1f ms over %d",
                    sorted[sorted.length / 2] / 1e6,
                    sorted[(int) (sorted.length * 0.95)] / 1e6,
                    sorted[sorted.length - 1] / 1e6,
                    sorted.length);
        }
    }

    /**
     * One target's newest range while the catalog is generated, kept as the server keeps it: a range that a
     * STORED or FAILED run (or its size) has ended stays the target's open range until a run starts the next
     * one, which seals it; at the end each target's newest range is written to {@code open_ranges}.
     */
    private static final class Open {
        long[] ids = new long[64];
        long[] starts = new long[64];
        long[] finishes = new long[64];
        long[] bytes = new long[64];
        int size;
        long archive;
        long nextStart;
        final int target;
        /** The last range ended, not yet sealed (its archive), and the latest end of any ranged run. */
        RangeRuns ended;

        long endedArchive;
        long successAt;

        Open(int target, long firstStart) {
            this.target = target;
            this.nextStart = firstStart;
        }

        void add(Connection db, long id, long start, long finish) throws java.sql.SQLException {
            if (ended != null) {
                write(db, "INSERT INTO execution_ranges", ended, endedArchive, null);
                ended = null;
            }
            if (size == ids.length) {
                ids = Arrays.copyOf(ids, size * 2);
                starts = Arrays.copyOf(starts, size * 2);
                finishes = Arrays.copyOf(finishes, size * 2);
                bytes = Arrays.copyOf(bytes, size * 2);
            }
            ids[size] = id;
            starts[size] = start;
            finishes[size] = finish;
            bytes[size] = 123; // an unchanged run's bytes on the wire (docs/PERFORMANCE.md)
            size++;
            successAt = Math.max(successAt, finish);
        }

        /** No run joins the range any more; the next one that starts a range seals it. */
        void end() {
            if (size > 0) {
                ended = new RangeRuns(
                        Arrays.copyOf(ids, size),
                        Arrays.copyOf(starts, size),
                        Arrays.copyOf(finishes, size),
                        Arrays.copyOf(bytes, size));
                endedArchive = archive;
                size = 0;
            }
        }

        /** At the end: the newest range as the target's open one. */
        void finish(Connection db) throws java.sql.SQLException {
            end();
            if (ended != null) {
                write(db, "INSERT INTO open_ranges", ended, endedArchive, successAt);
            }
        }

        private void write(Connection db, String insert, RangeRuns runs, long archiveId, Long success)
                throws java.sql.SQLException {
            ExecutionRanges.write(db, insert, target, RunTrigger.SCHEDULE, archiveId, 40, List.of(), runs, success);
        }
    }

    private static long generate(Path file, int targets, int days, double changeHours) throws Exception {
        Random random = new Random(42);
        double pStored = 1.0 / (changeHours * 60);
        double pFailed = 1.0 / 1440;
        long end = T0 + Duration.ofDays(days).toMillis();
        long id = 0;
        long archiveId = 0;
        try (Connection db = DriverManager.getConnection("jdbc:sqlite:" + file)) {
            try (Statement s = db.createStatement()) {
                s.execute("PRAGMA synchronous = OFF");
            }
            db.setAutoCommit(false);
            try (PreparedStatement target = db.prepareStatement("INSERT INTO targets (node, port, path, every_seconds,"
                    + " registered_at) VALUES (?, 7070, ?, 60, ?)")) {
                for (int i = 1; i <= targets; i++) {
                    target.setString(1, "node-" + (i % 500) + ".example.net");
                    target.setString(2, "/srv/data/tree-" + i);
                    target.setLong(3, T0);
                    target.executeUpdate();
                }
            }
            PreparedStatement archive = db.prepareStatement(
                    "INSERT INTO archives (id, target_id, created_at, size_bytes,"
                            + " files, sha256, digest, file_name, index_sha256) VALUES (?, ?, ?, 52000, 40, ?, ?, ?, ?)");
            PreparedStatement loose = db.prepareStatement("INSERT INTO executions (id, target_id, trigger, started_at,"
                    + " finished_at, outcome, bytes_received, archive_id, files, error, failure_kind, warnings, transfer)"
                    + " VALUES (?, ?, 'SCHEDULE', ?, ?, ?, ?, ?, ?, ?, ?, '[]', ?)");
            long nextSnapshot = T0 + SNAPSHOT_MILLIS;
            List<long[]> grown = new ArrayList<>();
            PriorityQueue<Open> due = new PriorityQueue<>((a, b) -> Long.compare(a.nextStart, b.nextStart));
            for (int i = 1; i <= targets; i++) {
                due.add(new Open(i, T0 + random.nextInt(60_000)));
            }
            while (due.peek().nextStart < end) {
                Open o = due.poll();
                long start = o.nextStart;
                long duration = 40 + (long) (-15 * Math.log(1 - random.nextDouble()));
                id++;
                double roll = random.nextDouble();
                if (o.archive == 0 || roll < pStored) {
                    o.end();
                    archiveId++;
                    bind(
                            archive,
                            archiveId,
                            o.target,
                            start + duration * 5,
                            sha256(random),
                            sha256(random),
                            "archives/" + o.target + "/" + archiveId + ".tgz",
                            sha256(random));
                    archive.executeUpdate();
                    o.archive = archiveId;
                    bind(
                            loose,
                            id,
                            o.target,
                            start,
                            start + duration * 5,
                            "STORED",
                            52_300,
                            archiveId,
                            40,
                            null,
                            null,
                            Execution.BLOCKS);
                    loose.executeUpdate();
                } else if (roll < pStored + pFailed) {
                    o.end();
                    bind(
                            loose,
                            id,
                            o.target,
                            start,
                            start + 3,
                            "FAILED",
                            0,
                            null,
                            null,
                            "cannot connect to node:7070: Connection refused",
                            "UNREACHABLE",
                            null);
                    loose.executeUpdate();
                } else {
                    o.add(db, id, start, start + duration);
                    if (o.size == ExecutionRanges.MAX_RUNS) {
                        o.end();
                    }
                }
                // next due = start + period; the timer wakes a few milliseconds late (p99 about 10 ms)
                o.nextStart = start + 60_000 + (long) Math.min(50, -2 * Math.log(1 - random.nextDouble()));
                due.add(o);
                if (id % 1_000_000 == 0) {
                    db.commit();
                }
                if (start >= nextSnapshot) {
                    snapshot(db, file, start, id, grown);
                    nextSnapshot += SNAPSHOT_MILLIS;
                }
            }
            for (Open o : due) {
                o.finish(db);
            }
            archive.close();
            loose.close();
            snapshot(db, file, end, id, grown);
            long[] a = grown.get(grown.size() / 2 - 1);
            long[] b = grown.get(grown.size() - 1);
            double marginal = (double) (b[1] - a[1]) / (b[0] - a[0]);
            System.out.printf(
                    "growth from hour %d to hour %d: %,d bytes for %,d executions, %.2f B per execution;"
                            + " a year of %,d targets at 1 minute at that rate: %.1f GB%n",
                    grown.size() / 2 * SNAPSHOT_MILLIS / 3_600_000,
                    grown.size() * SNAPSHOT_MILLIS / 3_600_000,
                    b[1] - a[1],
                    b[0] - a[0],
                    marginal,
                    targets,
                    marginal * targets * 525_600 / 1e9);
        }
        return id;
    }

    /** Ranges still open stay in memory: a snapshot counts what the file holds, as a server's would. */
    private static final long SNAPSHOT_MILLIS = Duration.ofHours(6).toMillis();

    /**
     * The file's size after the runs so far, committed and checkpointed. The growth over the later snapshots is
     * the steady state: the first hours also hold every target's first archive.
     */
    private static void snapshot(Connection db, Path file, long at, long executions, List<long[]> grown)
            throws Exception {
        db.commit();
        db.setAutoCommit(true);
        try (Statement s = db.createStatement()) {
            s.execute("PRAGMA wal_checkpoint(TRUNCATE)");
        }
        db.setAutoCommit(false);
        long bytes = Files.size(file);
        grown.add(new long[] {executions, bytes});
        System.out.printf("after %.0f h: %,d executions, %,d bytes%n", (at - T0) / 3_600_000.0, executions, bytes);
    }

    /** A random SHA-256 as the catalog stores one (DigestColumn). */
    private static byte[] sha256(Random random) {
        byte[] digest = new byte[DigestColumn.SHA256_BYTES];
        random.nextBytes(digest);
        return DigestColumn.encode(HexFormat.of().formatHex(digest));
    }

    private static void bind(PreparedStatement ps, Object... values) throws java.sql.SQLException {
        for (int i = 0; i < values.length; i++) {
            ps.setObject(i + 1, values[i]);
        }
    }
}
