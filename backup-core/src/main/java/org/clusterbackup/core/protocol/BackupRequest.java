package org.clusterbackup.core.protocol;

/**
 * Data plane, server to agent: back up {@code path}.
 *
 * @param baseDigest digest of the newest sound archive the server holds for this target, or {@code null};
 *        when the tree still has this digest the agent answers {@link Unchanged} and sends no archive
 * @param compressionLevel deflate level of the archive, 1 to 9; {@code null} (absent, from an older server)
 *        or 0 means {@link #DEFAULT_COMPRESSION_LEVEL}. The server owns the level, so that archives it builds itself
 *        compress as the agent's do.
 * @param delta true if the server can build the new archive from the one named by {@code baseDigest} and a
 *        delta ({@link DeltaBegin}); absent or false (an older server, or a base without a usable index):
 *        only a full archive will do
 * @param blocks true if, besides, the server can rebuild files sent as block deltas ({@link BlocksBegin});
 *        absent or false (an older server): changed files go whole
 */
public record BackupRequest(String path, String baseDigest, Integer compressionLevel, Boolean delta, Boolean blocks)
        implements Message {
    public static final int DEFAULT_COMPRESSION_LEVEL = 6;
    public static final int MIN_COMPRESSION_LEVEL = 1;
    public static final int MAX_COMPRESSION_LEVEL = 9;

    /** A request for a full archive, or {@link Unchanged}: no delta. */
    public BackupRequest(String path, String baseDigest, Integer compressionLevel) {
        this(path, baseDigest, compressionLevel, null, null);
    }

    /** A request that may be answered with a delta, not a block delta. */
    public BackupRequest(String path, String baseDigest, Integer compressionLevel, Boolean delta) {
        this(path, baseDigest, compressionLevel, delta, null);
    }

    /** True if a delta against {@link #baseDigest()} may be sent. */
    public boolean deltaAccepted() {
        return Boolean.TRUE.equals(delta) && baseDigest != null;
    }

    /** True if a block delta against {@link #baseDigest()} may be sent. */
    public boolean blocksAccepted() {
        return deltaAccepted() && Boolean.TRUE.equals(blocks);
    }

    /** The level to use: {@link #compressionLevel()}, or the default when it is absent or 0. It may be out of range. */
    public int effectiveCompressionLevel() {
        return compressionLevel == null || compressionLevel == 0 ? DEFAULT_COMPRESSION_LEVEL : compressionLevel;
    }
}
