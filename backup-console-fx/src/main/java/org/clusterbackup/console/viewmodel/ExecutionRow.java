package org.clusterbackup.console.viewmodel;

import java.util.List;
import org.clusterbackup.core.model.Outcome;
import org.clusterbackup.core.protocol.ExecutionInfo;

/** One backup run in the execution log. */
public final class ExecutionRow extends Row<ExecutionInfo> {
    public ExecutionRow(ExecutionInfo info) {
        super(info.id(), info);
    }

    public static boolean failed(ExecutionInfo e) {
        return e.outcome() == Outcome.FAILED;
    }

    /** The error of a failed run, else its warnings: {@code 2 warnings: a; b}. */
    public static String notes(ExecutionInfo e) {
        if (e.error() != null) {
            return e.error();
        }
        List<String> w = e.warnings();
        if (w.isEmpty()) {
            return "";
        }
        return w.size() + (w.size() == 1 ? " warning: " : " warnings: ") + String.join("; ", w);
    }
}
