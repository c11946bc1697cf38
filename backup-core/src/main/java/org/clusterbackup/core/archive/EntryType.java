package org.clusterbackup.core.archive;

/**
 * The kinds of tree entry an archive keeps. Fifos, sockets and devices are not among them: a backup skips
 * them with a warning, as their "content" is not data at rest.
 */
public enum EntryType {
    DIRECTORY('d'),
    FILE('f'),
    SYMLINK('l'),
    /** A second or later name of a file of the tree: a tar hard link to the entry that holds the content. */
    HARDLINK('h');

    private final char code;

    EntryType(char code) {
        this.code = code;
    }

    /** One stable byte for the digest and the stat cache, independent of declaration order. */
    byte code() {
        return (byte) code;
    }
}
