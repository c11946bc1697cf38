package org.clusterbackup.console.viewmodel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.util.ArrayList;
import java.util.List;
import javafx.collections.FXCollections;
import javafx.collections.ListChangeListener;
import javafx.collections.ObservableList;
import org.clusterbackup.core.model.TargetState;
import org.clusterbackup.core.protocol.TargetInfo;
import org.junit.jupiter.api.Test;

class RowSyncTest {
    private static TargetInfo target(long id, TargetState state) {
        return new TargetInfo(id, "n", 7071, "/p" + id, 60, FakeGateway.T0, state, null, null, null);
    }

    private final ObservableList<TargetRow> rows = FXCollections.observableArrayList();
    private final List<String> changes = new ArrayList<>();

    RowSyncTest() {
        rows.addListener((ListChangeListener<TargetRow>) c -> {
            while (c.next()) {
                changes.add(
                        c.wasReplaced()
                                ? "replaced"
                                : c.wasAdded()
                                        ? "added " + c.getFrom()
                                        : c.wasRemoved() ? "removed " + c.getFrom() : "other");
            }
        });
    }

    @Test
    void keptRowsStayTheSameObjectsAndNewOnesGoWhereTheServerPutsThem() {
        RowSync.merge(
                rows,
                List.of(target(2, TargetState.SCHEDULED), target(1, TargetState.SCHEDULED)),
                TargetInfo::id,
                TargetRow::new);
        TargetRow two = rows.get(0);
        TargetRow one = rows.get(1);
        changes.clear();
        RowSync.merge(
                rows,
                List.of(
                        target(3, TargetState.SCHEDULED),
                        target(2, TargetState.RUNNING),
                        target(1, TargetState.SCHEDULED)),
                TargetInfo::id,
                TargetRow::new);
        assertEquals(List.of(3L, 2L, 1L), rows.stream().map(TargetRow::id).toList());
        assertSame(two, rows.get(1));
        assertSame(one, rows.get(2));
        assertEquals(TargetState.RUNNING, two.info().state());
        assertEquals(List.of("added 0"), changes, "one insertion, nothing replaced");
    }

    @Test
    void goneRowsAreRemoved() {
        RowSync.merge(
                rows,
                List.of(
                        target(1, TargetState.SCHEDULED),
                        target(2, TargetState.SCHEDULED),
                        target(3, TargetState.SCHEDULED)),
                TargetInfo::id,
                TargetRow::new);
        TargetRow three = rows.get(2);
        changes.clear();
        RowSync.merge(
                rows,
                List.of(target(1, TargetState.SCHEDULED), target(3, TargetState.SCHEDULED)),
                TargetInfo::id,
                TargetRow::new);
        assertEquals(List.of(1L, 3L), rows.stream().map(TargetRow::id).toList());
        assertSame(three, rows.get(1));
        assertEquals(List.of("removed 1"), changes);
    }

    @Test
    void anUnchangedAnswerChangesNothing() {
        RowSync.merge(
                rows,
                List.of(target(1, TargetState.SCHEDULED), target(2, TargetState.SCHEDULED)),
                TargetInfo::id,
                TargetRow::new);
        changes.clear();
        RowSync.merge(
                rows,
                List.of(target(1, TargetState.SCHEDULED), target(2, TargetState.SCHEDULED)),
                TargetInfo::id,
                TargetRow::new);
        assertEquals(List.of(), changes);
    }

    @Test
    void aNewOrderIsTakenWhole() {
        RowSync.merge(
                rows,
                List.of(target(1, TargetState.SCHEDULED), target(2, TargetState.SCHEDULED)),
                TargetInfo::id,
                TargetRow::new);
        RowSync.merge(
                rows,
                List.of(target(2, TargetState.SCHEDULED), target(1, TargetState.SCHEDULED)),
                TargetInfo::id,
                TargetRow::new);
        assertEquals(List.of(2L, 1L), rows.stream().map(TargetRow::id).toList());
    }
}
