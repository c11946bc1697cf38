package org.clusterbackup.core.restore;

/**
 * The archive holds an entry that a restore will not write: it could reach outside the target directory
 * (absolute name, {@code ..}, a symlink or hard link leading out, a path through a symlink), or it is a
 * device or fifo, or it would replace an earlier entry. The whole archive is refused; nothing is left
 * behind. An agent answers it as {@code REFUSED}.
 */
public final class UnsafeArchiveException extends Exception {
    private final String entry;
    private final String reason;

    public UnsafeArchiveException(String entry, String reason) {
        super("refused archive entry '" + entry + "': " + reason);
        this.entry = entry;
        this.reason = reason;
    }

    /** The entry's name as the archive spells it. */
    public String entry() {
        return entry;
    }

    /** Why it was refused, without the entry's name. */
    public String reason() {
        return reason;
    }
}
