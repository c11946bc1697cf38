package org.clusterbackup.console.viewmodel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import org.clusterbackup.core.model.Outcome;
import org.clusterbackup.core.protocol.ExecutionInfo;
import org.junit.jupiter.api.Test;

class ArchiveOutcomesTest {
    private static final Instant T0 = Instant.parse("2026-12-02T03:00:00Z");

    private static ExecutionInfo stored(String transfer) {
        return new ExecutionInfo(
                7,
                1,
                "node1",
                7071,
                "/srv/a",
                T0,
                T0.plusSeconds(2),
                Outcome.STORED,
                2048,
                3L,
                4,
                null,
                List.of(),
                transfer);
    }

    @Test
    void aStoredRunSaysWhatTravelled() {
        assertEquals(
                "Backup of a: STORED, 4 files, 2.0 KiB received in 2.0 s", ArchiveOutcomes.run("a", stored("FULL")));
        assertEquals(
                "Backup of a: STORED (changes only), 4 files, 2.0 KiB received in 2.0 s",
                ArchiveOutcomes.run("a", stored("DELTA")));
        assertEquals(
                "Backup of a: STORED (changed blocks only), 4 files, 2.0 KiB received in 2.0 s",
                ArchiveOutcomes.run("a", stored("BLOCKS")));
    }
}
