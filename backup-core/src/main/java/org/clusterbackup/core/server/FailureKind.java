package org.clusterbackup.core.server;

/**
 * Why a run failed, which decides when it is tried again: an unreachable node as soon as it answers, a
 * refusal or local fault at the next period.
 */
public enum FailureKind {
    /** Connect refused or timed out, or the connection broke mid-run. */
    UNREACHABLE,
    /** The agent answered with an {@code Error}: a path it may not serve, a missing directory. */
    REFUSED,
    /** Anything else: a full disk here, a checksum mismatch, a protocol violation. */
    OTHER
}
