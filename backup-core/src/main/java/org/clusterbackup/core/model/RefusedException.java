package org.clusterbackup.core.model;

/**
 * A well-formed request that cannot be carried out: the target is a duplicate, unknown or ambiguous.
 * Crosses the wire as an {@code Error} with the same code and message.
 */
public final class RefusedException extends RuntimeException {
    private final ErrorCode code;

    public RefusedException(ErrorCode code, String message) {
        super(message);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }
}
