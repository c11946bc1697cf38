package org.clusterbackup.core.catalog;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.List;
import java.util.Optional;

/** The {@code archives} table. */
final class SqliteArchives implements ArchiveCatalog {
    private static final String SELECT = "SELECT id, target_id, created_at, size_bytes, files, sha256, digest,"
            + " file_name, pruned_at, corrupt, index_sha256 FROM archives";

    private final Database database;
    private final Clock clock;

    SqliteArchives(Database database, Clock clock) {
        this.database = database;
        this.clock = clock;
    }

    @Override
    public List<Archive> archives(long targetId) {
        return database.read(db ->
                Rows.all(db, SELECT + " WHERE target_id = ? ORDER BY id DESC", SqliteArchives::archive, targetId));
    }

    @Override
    public List<Archive> archives(long targetId, Long beforeId, int limit) {
        return database.read(db -> Rows.all(
                db,
                SELECT + " WHERE target_id = ? AND id < ? ORDER BY id DESC LIMIT ?",
                SqliteArchives::archive,
                targetId,
                beforeId == null ? Long.MAX_VALUE : beforeId,
                limit));
    }

    @Override
    public Optional<Archive> archive(long id) {
        return database.read(db -> Rows.first(db, SELECT + " WHERE id = ?", SqliteArchives::archive, id));
    }

    @Override
    public void markCorrupt(long archiveId, boolean corrupt) {
        database.write(
                db -> Rows.update(db, "UPDATE archives SET corrupt = ? WHERE id = ?", corrupt ? 1 : 0, archiveId));
    }

    @Override
    public List<Archive> storedArchives() {
        return database.read(
                db -> Rows.all(db, SELECT + " WHERE pruned_at IS NULL ORDER BY id", SqliteArchives::archive));
    }

    @Override
    public Optional<Archive> newestSoundArchive(long targetId) {
        return database.read(db -> Rows.first(
                        db,
                        SELECT + " WHERE target_id = ? AND pruned_at IS NULL" + " ORDER BY id DESC LIMIT 1",
                        SqliteArchives::archive,
                        targetId)
                .filter(a -> !a.corrupt()));
    }

    @Override
    public List<Archive> pruneBeyond(long targetId, int keep) {
        long now = clock.millis();
        return database.write(db -> {
            List<Archive> beyond = Rows.all(
                    db,
                    SELECT + " WHERE target_id = ? AND pruned_at IS NULL" + " ORDER BY id DESC LIMIT ? OFFSET ?",
                    SqliteArchives::archive,
                    targetId,
                    Long.MAX_VALUE,
                    keep);
            try (PreparedStatement ps = db.prepareStatement("UPDATE archives SET pruned_at = ? WHERE id = ?")) {
                for (Archive a : beyond) {
                    ps.setLong(1, now);
                    ps.setLong(2, a.id());
                    ps.addBatch();
                }
                ps.executeBatch();
            }
            return beyond;
        });
    }

    /** Adds the row of an archive whose file is not yet in place (no name); returns its id. */
    static long insert(Connection db, long targetId, long now, NewArchive archive) throws SQLException {
        try (PreparedStatement ps = db.prepareStatement(
                "INSERT INTO archives (target_id, created_at, size_bytes,"
                        + " files, sha256, digest, file_name, index_sha256) VALUES (?, ?, ?, ?, ?, ?, '', ?)",
                Statement.RETURN_GENERATED_KEYS)) {
            ps.setLong(1, targetId);
            ps.setLong(2, now);
            ps.setLong(3, archive.sizeBytes());
            ps.setInt(4, archive.files());
            ps.setString(5, archive.sha256());
            ps.setString(6, archive.digest());
            ps.setString(7, archive.indexSha256());
            return Rows.insert(ps);
        }
    }

    /** Names the file of an archive {@link #insert}ed in the same transaction, once it is in place. */
    static void placed(Connection db, long archiveId, String fileName) throws SQLException {
        Rows.update(db, "UPDATE archives SET file_name = ? WHERE id = ?", fileName, archiveId);
    }

    private static Archive archive(Rows.Row r) throws SQLException {
        return new Archive(
                r.getLong("id"),
                r.getLong("target_id"),
                r.time("created_at"),
                r.getLong("size_bytes"),
                r.getInt("files"),
                r.text("sha256"),
                r.text("digest"),
                r.text("file_name"),
                r.timeOrNull("pruned_at"),
                r.flag("corrupt"),
                r.text("index_sha256"));
    }
}
