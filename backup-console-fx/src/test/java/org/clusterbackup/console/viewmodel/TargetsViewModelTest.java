package org.clusterbackup.console.viewmodel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.time.Instant;
import java.util.List;
import javafx.collections.transformation.SortedList;
import org.clusterbackup.core.client.TargetChanges;
import org.clusterbackup.core.model.TargetState;
import org.clusterbackup.core.protocol.TargetCursor;
import org.clusterbackup.core.protocol.TargetInfo;
import org.junit.jupiter.api.Test;

/** A refresh's changes merged into the targets table in place. */
class TargetsViewModelTest {
    private static final TargetCursor CURSOR = new TargetCursor("run", 1);

    static TargetInfo target(long id, String path, TargetState state) {
        return new TargetInfo(
                id,
                "127.0.0.2",
                7071,
                path,
                60,
                Instant.EPOCH,
                state,
                state == TargetState.RUNNING ? null : Instant.EPOCH,
                null,
                null);
    }

    private static List<Long> ids(List<TargetRow> rows) {
        return rows.stream().map(TargetRow::id).toList();
    }

    @Test
    void changesUpdateRowsInPlaceInsertNewOnesInIdOrderAndDropRemovedOnes() {
        TargetsViewModel vm = new TargetsViewModel();
        vm.apply(new TargetChanges(
                true,
                List.of(
                        target(1, "/a", TargetState.SCHEDULED),
                        target(3, "/c", TargetState.SCHEDULED),
                        target(5, "/e", TargetState.SCHEDULED)),
                List.of(),
                CURSOR));
        TargetRow three = vm.rows().get(1);
        vm.select(3);
        vm.apply(new TargetChanges(
                false,
                List.of(
                        target(3, "/c", TargetState.RUNNING),
                        target(2, "/b", TargetState.SCHEDULED),
                        target(9, "/z", TargetState.SCHEDULED)),
                List.of(5L),
                CURSOR));
        assertEquals(List.of(1L, 2L, 3L, 9L), ids(vm.rows()));
        assertSame(three, vm.rows().get(2), "the same row object, updated");
        assertEquals(TargetState.RUNNING, three.info().state());
        assertSame(three, vm.selected(), "the selection stays");
        assertEquals(List.of(3L), vm.unsettled(10), "a running row is rechecked");

        vm.apply(new TargetChanges(false, List.of(), List.of(3L), CURSOR));
        assertNull(vm.selected(), "a removed target is deselected");
        assertEquals(List.of(1L, 2L, 9L), ids(vm.rows()));
    }

    @Test
    void theFilterAndTheSortFollowAMergedChange() {
        TargetsViewModel vm = new TargetsViewModel();
        vm.apply(new TargetChanges(
                true,
                List.of(target(1, "/a", TargetState.SCHEDULED), target(2, "/b", TargetState.SCHEDULED)),
                List.of(),
                CURSOR));
        SortedList<TargetRow> byPathDescending = new SortedList<>(
                vm.filtered(), (x, y) -> y.info().path().compareTo(x.info().path()));
        vm.filterProperty().set("running");
        assertEquals(List.of(), ids(byPathDescending));
        vm.apply(new TargetChanges(
                false,
                List.of(target(1, "/a", TargetState.RUNNING), target(4, "/d", TargetState.RUNNING)),
                List.of(),
                CURSOR));
        assertEquals(List.of(4L, 1L), ids(byPathDescending));
    }

    @Test
    void aResetReplacesEverything() {
        TargetsViewModel vm = new TargetsViewModel();
        vm.apply(new TargetChanges(true, List.of(target(1, "/a", TargetState.SCHEDULED)), List.of(), CURSOR));
        vm.apply(new TargetChanges(true, List.of(target(2, "/b", TargetState.RETRYING)), List.of(), CURSOR));
        assertEquals(List.of(2L), ids(vm.rows()));
        assertEquals(List.of(2L), vm.unsettled(10));
        assertEquals(2L, vm.byId(2).id());
    }
}
