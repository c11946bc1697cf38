package org.clusterbackup.core.protocol;

import java.util.Objects;
import org.clusterbackup.core.model.ErrorCode;

/**
 * A request could not be served. The message is one human-readable line that names the value at fault.
 * It is clipped to {@link #MAX_MESSAGE} characters: a message that quotes a peer's value (a path of
 * megabytes) must neither echo it in full nor grow the error frame past what a peer accepts.
 */
public record ErrorReply(ErrorCode code, String message) implements Message {
    public static final int MAX_MESSAGE = 1024;

    public ErrorReply {
        Objects.requireNonNull(code, "code");
        Objects.requireNonNull(message, "message");
        message = clip(message);
    }

    /** {@code text} cut to at most {@link #MAX_MESSAGE} characters, saying how much was left out. */
    public static String clip(String line) {
        if (line.length() <= MAX_MESSAGE) {
            return line;
        }
        int keep = MAX_MESSAGE - 40;
        if (Character.isHighSurrogate(line.charAt(keep - 1))) {
            keep--;
        }
        return line.substring(0, keep) + "… (" + (line.length() - keep) + " more characters)";
    }
}
