package org.clusterbackup.console.viewmodel;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import javafx.collections.transformation.SortedList;
import org.clusterbackup.core.client.TargetChanges;
import org.clusterbackup.core.model.Outcome;
import org.clusterbackup.core.model.TargetState;
import org.clusterbackup.core.protocol.TargetCursor;
import org.clusterbackup.core.protocol.TargetInfo;

/**
 * Figures, not a test: the targets table's view model at 50,000 rows, as the table sees it (the filtered
 * list under a sorted list). Prints the CPU time of the calling thread (the machine is shared, so wall time
 * would measure the neighbours), the median of several rounds, for: the old refresh (the whole list merged),
 * the change cursor's refresh (100 changed rows merged in place), a filter typed, the sort changed.
 *
 * <p>Run: {@code bench/console-table} (it builds the classpath and calls this class's main).
 */
public final class TargetsTableBench {
    private static final ThreadMXBean CPU = ManagementFactory.getThreadMXBean();
    private static final TargetCursor CURSOR = new TargetCursor("bench", 1);

    private TargetsTableBench() {}

    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 50_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 15;
        List<TargetInfo> all = new ArrayList<>(n);
        for (int i = 1; i <= n; i++) {
            all.add(target(i, i % 7 == 0 ? TargetState.RETRYING : TargetState.SCHEDULED, i));
        }
        TargetsViewModel vm = new TargetsViewModel();
        SortedList<TargetRow> table = new SortedList<>(vm.filtered());
        table.setComparator(Comparator.comparingLong(TargetRow::id));
        vm.apply(new TargetChanges(true, all, List.of(), CURSOR));

        List<Long> fullRefresh = new ArrayList<>();
        List<Long> merge100 = new ArrayList<>();
        List<Long> filter = new ArrayList<>();
        List<Long> sort = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            int round = r;
            List<TargetInfo> changed = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                long id = 1 + (long) ((i * 499L + round * 37L) % n);
                changed.add(target(id, TargetState.RUNNING, round));
            }
            List<TargetInfo> whole = new ArrayList<>(all);
            changed.forEach(c -> whole.set((int) c.id() - 1, c));
            fullRefresh.add(cpu(() -> vm.apply(whole)));
            merge100.add(cpu(() -> vm.apply(new TargetChanges(false, changed, List.of(), CURSOR))));
            filter.add(cpu(() -> vm.filterProperty().set(round % 2 == 0 ? "retrying" : "/srv/t12")));
            sort.add(cpu(() -> table.setComparator(
                    round % 2 == 0
                            ? Comparator.comparing((TargetRow t) -> t.info().path())
                            : Comparator.comparingLong(TargetRow::id))));
            vm.filterProperty().set("");
        }
        System.out.printf("targets table, %d rows, CPU ms of the FX thread's work, median of %d rounds%n", n, rounds);
        System.out.printf("  refresh, whole list merged (before):   %8.1f%n", median(fullRefresh));
        System.out.printf("  refresh, 100 changed rows merged:      %8.1f%n", median(merge100));
        System.out.printf("  filter predicate applied:              %8.1f%n", median(filter));
        System.out.printf("  sort changed:                          %8.1f%n", median(sort));
    }

    private static TargetInfo target(long id, TargetState state, int round) {
        return new TargetInfo(
                id,
                "10.0." + (id / 250) + "." + (id % 250),
                7071,
                "/srv/t" + id,
                60,
                Instant.EPOCH,
                state,
                state == TargetState.RUNNING ? null : Instant.ofEpochSecond(round),
                Outcome.UNCHANGED,
                Instant.ofEpochSecond(round));
    }

    private static long cpu(Runnable work) {
        long start = CPU.getCurrentThreadCpuTime();
        work.run();
        return CPU.getCurrentThreadCpuTime() - start;
    }

    private static double median(List<Long> nanos) {
        List<Long> sorted = nanos.stream().sorted().toList();
        return sorted.get(sorted.size() / 2) / 1e6;
    }
}
