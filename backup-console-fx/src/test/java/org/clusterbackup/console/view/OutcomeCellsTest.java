package org.clusterbackup.console.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.clusterbackup.core.model.FailureKind;
import org.clusterbackup.core.model.Outcome;
import org.junit.jupiter.api.Test;

class OutcomeCellsTest {
    @Test
    void anIdentityFailureGetsItsOwnStyleOtherFailuresTheRed() {
        String identity = OutcomeCells.label(Outcome.FAILED, FailureKind.IDENTITY);
        assertEquals("FAILED (IDENTITY)", identity);
        assertEquals("outcome-identity", OutcomeCells.styleClass(identity));
        assertEquals("outcome-failed", OutcomeCells.styleClass(OutcomeCells.label(Outcome.FAILED, FailureKind.UNREACHABLE)));
        assertEquals("outcome-failed", OutcomeCells.styleClass(OutcomeCells.label(Outcome.FAILED, FailureKind.OTHER)));
        assertEquals("outcome-failed", OutcomeCells.styleClass(OutcomeCells.label(Outcome.FAILED, null)));
        assertEquals("state-running", OutcomeCells.styleClass(OutcomeCells.label(Outcome.RUNNING, null)));
        assertNull(OutcomeCells.styleClass(OutcomeCells.label(Outcome.STORED, null)));
        assertNull(OutcomeCells.styleClass(null));
    }
}
