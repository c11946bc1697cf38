package org.clusterbackup.core.protocol;

/**
 * Sent by a peer that is busy on a request (a backup that runs for minutes) so that the other side's
 * idle timeout measures silence of the peer, not length of the work. Receivers skip it.
 */
public record KeepAlive() implements Message {
    /** The only instance needed. */
    public static final KeepAlive INSTANCE = new KeepAlive();
}
