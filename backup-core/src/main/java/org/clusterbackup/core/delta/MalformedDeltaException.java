package org.clusterbackup.core.delta;

/** A block delta that breaks its format (see {@link BlockStream}): the run falls back to a full archive. */
public final class MalformedDeltaException extends Exception {
    private static final long serialVersionUID = 1L;

    public MalformedDeltaException(String message) {
        super(message);
    }
}
