package org.clusterbackup.console.view;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.clusterbackup.core.model.FailureKind;
import org.clusterbackup.core.model.Outcome;
import org.clusterbackup.core.model.OutcomeLabel;
import org.junit.jupiter.api.Test;

class OutcomeCellsTest {
    @Test
    void anIdentityFailureGetsItsOwnStyleOtherFailuresTheRed() {
        String identity = OutcomeLabel.of(Outcome.FAILED, FailureKind.IDENTITY);
        assertEquals("FAILED (IDENTITY)", identity);
        assertEquals("outcome-identity", OutcomeCells.styleClass(identity));
        assertEquals(
                "outcome-failed", OutcomeCells.styleClass(OutcomeLabel.of(Outcome.FAILED, FailureKind.UNREACHABLE)));
        assertEquals("outcome-failed", OutcomeCells.styleClass(OutcomeLabel.of(Outcome.FAILED, FailureKind.OTHER)));
        assertEquals("outcome-failed", OutcomeCells.styleClass(OutcomeLabel.of(Outcome.FAILED, null)));
        assertEquals("state-running", OutcomeCells.styleClass(OutcomeLabel.of(Outcome.RUNNING, null)));
        assertNull(OutcomeCells.styleClass(OutcomeLabel.of(Outcome.STORED, null)));
        assertNull(OutcomeCells.styleClass(null));
    }
}
