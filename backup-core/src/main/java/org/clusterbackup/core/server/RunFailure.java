package org.clusterbackup.core.server;

import org.clusterbackup.core.model.FailureKind;

/** Ends a run as FAILED with one line for the log and the kind that decides the retry. */
final class RunFailure extends Exception {
    private final FailureKind kind;

    RunFailure(FailureKind kind, String message, Throwable cause) {
        super(message, cause);
        this.kind = kind;
    }

    RunFailure(FailureKind kind, String message) {
        this(kind, message, null);
    }

    FailureKind kind() {
        return kind;
    }
}
