package org.clusterbackup.console.viewmodel;

/** Where the console stands with its server. */
public enum ConnectionState {
    /** Asked, no answer yet. */
    CONNECTING,
    /** The last refresh got an answer. */
    CONNECTED,
    /** The last refresh failed; the console keeps trying at every refresh. */
    UNREACHABLE
}
