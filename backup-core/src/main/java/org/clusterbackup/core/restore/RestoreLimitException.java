package org.clusterbackup.core.restore;

import java.io.IOException;

/**
 * The archive holds more than this agent lets one restore write: more entries than
 * {@code --restore-max-files}, more bytes than {@code --restore-max-bytes}, or more than the file system has
 * free. Nothing is left behind. An agent answers it as {@code REFUSED}, like any restore refused by policy.
 */
public final class RestoreLimitException extends IOException {
    RestoreLimitException(String message) {
        super(message);
    }
}
