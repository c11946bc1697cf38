package org.clusterbackup.core.net;

import org.clusterbackup.core.model.ErrorCode;
import org.clusterbackup.core.protocol.ErrorReply;
import org.clusterbackup.core.protocol.Hello;
import org.clusterbackup.core.protocol.Message;
import org.clusterbackup.core.protocol.ProtocolLimits;

/**
 * The listener's side of the {@code Hello} exchange: what a peer may send before it is greeted, and the
 * answer to a first frame that is not an acceptable {@code Hello}.
 */
final class Handshake {
    /** Until the peer has said who it is, it may send only small frames. */
    static final ProtocolLimits LIMITS = new ProtocolLimits(4096, ProtocolLimits.DATA_CHUNK);

    private Handshake() {}

    /**
     * The answer to a peer whose first bytes are not this protocol (a port scanner, an HTTP client, a
     * fuzzer). Fixed words: nothing the peer sent is echoed, so the reply cannot be steered or grow.
     */
    static ErrorReply notThisProtocol(String role) {
        return new ErrorReply(
                ErrorCode.PROTOCOL,
                "this is a Cluster Backup " + role
                        + "; the first bytes received were not a Hello frame of its protocol");
    }

    /** The refusal of a first message, or null when it is a {@code Hello} this listener accepts. */
    static ErrorReply refusal(Message first, TransportConfig config) {
        if (!(first instanceof Hello hello)) {
            return new ErrorReply(
                    ErrorCode.PROTOCOL,
                    "expected Hello as the first frame, got " + first.getClass().getSimpleName());
        }
        if (hello.protocolVersion() != ProtocolLimits.PROTOCOL_VERSION) {
            return new ErrorReply(
                    ErrorCode.PROTOCOL,
                    "protocol version " + hello.protocolVersion() + " is not supported; this " + config.role()
                            + " speaks version " + ProtocolLimits.PROTOCOL_VERSION);
        }
        if (!config.acceptedRoles().contains(hello.role())) {
            // The role is the peer's own text: name it only when it is one of the known, short ones.
            String who =
                    hello.role() != null && hello.role().matches("[a-z]{1,16}") ? "a " + hello.role() : "this role";
            return new ErrorReply(
                    ErrorCode.REFUSED,
                    who + " may not connect to this " + config.role() + " (accepted: "
                            + String.join(", ", config.acceptedRoles()) + ")");
        }
        return null;
    }
}
