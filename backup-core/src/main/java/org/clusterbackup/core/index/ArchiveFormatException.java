package org.clusterbackup.core.index;

/**
 * An archive's bytes are not what they must be: a segment that does not inflate to what was declared, a
 * gzip header or trailer that is wrong, a tar stream that does not parse. Raised while receiving from an
 * agent (the run fails, nothing is kept) and while reading a stored archive through its index (the archive
 * is damaged). The message is one line that names the place.
 */
public final class ArchiveFormatException extends Exception {
    private static final long serialVersionUID = 1L;

    public ArchiveFormatException(String message) {
        super(message);
    }
}
