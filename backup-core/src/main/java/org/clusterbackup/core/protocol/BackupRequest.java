package org.clusterbackup.core.protocol;

/**
 * Data plane, server to agent: back up {@code path}.
 *
 * @param baseDigest digest of the newest sound archive the server holds for this target, or {@code null};
 *        when the tree still has this digest the agent answers {@link Unchanged} and sends no archive
 * @param compressionLevel deflate level of the archive, 1 to 9; {@code null} (absent, from an older server)
 *        or 0 means {@link #DEFAULT_COMPRESSION_LEVEL}. The server owns the level, so that archives it builds itself
 *        compress as the agent's do.
 */
public record BackupRequest(String path, String baseDigest, Integer compressionLevel) implements Message {
    public static final int DEFAULT_COMPRESSION_LEVEL = 6;
    public static final int MIN_COMPRESSION_LEVEL = 1;
    public static final int MAX_COMPRESSION_LEVEL = 9;

    /** The level to use: {@link #compressionLevel()}, or the default when it is absent or 0. It may be out of range. */
    public int effectiveCompressionLevel() {
        return compressionLevel == null || compressionLevel == 0 ? DEFAULT_COMPRESSION_LEVEL : compressionLevel;
    }
}
