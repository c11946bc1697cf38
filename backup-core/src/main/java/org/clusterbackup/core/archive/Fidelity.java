package org.clusterbackup.core.archive;

/**
 * Which of the things GNU tar keeps only when asked ({@code --format=posix --sparse --xattrs}) an archive
 * keeps. All on by default; an agent can turn each off ({@code --no-xattrs}, {@code --no-hard-links},
 * {@code --no-sparse}, {@code --no-subsecond-times}), which makes its archives what they were before these
 * existed in that respect. docs/CHANGE-DETECTION.md describes each.
 *
 * @param xattrs archive {@code user.*} extended attributes as {@code SCHILY.xattr.*} PAX records
 * @param hardLinks archive the second and later names of a file as tar hard links to the first
 * @param sparse archive files with runs of zero blocks in the PAX 1.0 sparse format
 * @param subsecondTimes keep an mtime's fraction of a second (a PAX {@code mtime} record)
 */
public record Fidelity(boolean xattrs, boolean hardLinks, boolean sparse, boolean subsecondTimes) {
    public static final Fidelity ALL = new Fidelity(true, true, true, true);
    /** Archives as they were before any of these: whole seconds, separate files, no attributes, no holes. */
    public static final Fidelity NONE = new Fidelity(false, false, false, false);
}
