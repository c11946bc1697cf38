package org.clusterbackup.core.model;

/**
 * A value given by a user (a flag, a dialog field, a request field) breaks the rules. The message is one
 * line that names the value as given and says what is expected.
 */
public final class InvalidInputException extends IllegalArgumentException {
    public InvalidInputException(String message) {
        super(message);
    }
}
