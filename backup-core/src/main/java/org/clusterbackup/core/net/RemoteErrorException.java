package org.clusterbackup.core.net;

import java.io.IOException;
import org.clusterbackup.core.model.ErrorCode;
import org.clusterbackup.core.protocol.ErrorReply;

/** The peer answered a request with an {@code Error}. The message is the peer's, unchanged. */
public final class RemoteErrorException extends IOException {
    private final ErrorCode code;

    public RemoteErrorException(ErrorReply reply) {
        super(reply.message());
        this.code = reply.code();
    }

    public ErrorCode code() {
        return code;
    }
}
