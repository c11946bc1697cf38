package org.clusterbackup.core.index;

/**
 * An archive's index cannot be trusted or there is none: missing, unreadable, damaged, not the one the
 * catalog recorded, or the archive was stored before archives were indexed. The archive then counts as
 * unindexed; nothing guesses around it. The message completes "archive N ...".
 */
public final class UnusableIndexException extends Exception {
    private static final long serialVersionUID = 1L;

    public UnusableIndexException(String message) {
        super(message);
    }
}
