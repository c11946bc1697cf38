package org.clusterbackup.console.view;

import org.clusterbackup.core.model.FailureKind;
import org.clusterbackup.core.model.Outcome;
import org.clusterbackup.core.model.OutcomeLabel;

/**
 * The style of the targets' and the log's outcome cells, which show the CLI's words ({@link OutcomeLabel}): a
 * failure in red, and a failure on an agent's identity white on red, as it needs an operator
 * ({@code backupctl trust}).
 */
final class OutcomeCells {
    private OutcomeCells() {}

    static String styleClass(String label) {
        if (label == null) {
            return null;
        }
        if (label.equals(OutcomeLabel.of(Outcome.FAILED, FailureKind.IDENTITY))) {
            return "outcome-identity";
        }
        if (label.startsWith(Outcome.FAILED.name())) {
            return "outcome-failed";
        }
        return label.equals(Outcome.RUNNING.name()) ? "state-running" : null;
    }
}
