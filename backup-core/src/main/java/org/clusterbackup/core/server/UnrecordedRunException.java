package org.clusterbackup.core.server;

/**
 * A run whose execution row could not be written (the data dir is full, the catalog failed): there is no
 * execution to show, so whoever waits for the run gets this error instead, never an older run's row.
 */
public final class UnrecordedRunException extends RuntimeException {
    UnrecordedRunException(String message, Throwable cause) {
        super(message, cause);
    }
}
