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
            ps.setBytes(5, DigestColumn.encode(archive.sha256()));
            ps.setBytes(6, DigestColumn.encode(archive.digest()));
            ps.setBytes(7, DigestColumn.encode(archive.indexSha256()));
            return Rows.insert(ps);
        }
    }

    /**
     * Names the file of an archive {@link #insert}ed in the same transaction, once it is in place. The name the
     * store gives every archive, {@link #usualFileName}, is kept as {@code ''} (since SQLite's version 7,
     * PostgreSQL's 5): it is known from the row's ids. {@code ''} otherwise marks a row not yet placed, which no
     * transaction but its own ever sees.
     */
    static void placed(Connection db, long targetId, long archiveId, String fileName) throws SQLException {
        String kept = fileName.equals(usualFileName(targetId, archiveId)) ? "" : fileName;
        Rows.update(db, "UPDATE archives SET file_name = ? WHERE id = ?", kept, archiveId);
    }

    /** {@code archives/<target-id>/<archive-id>.tgz}, relative to the data dir, as the store names archives. */
    static String usualFileName(long targetId, long archiveId) {
        return "archives/" + targetId + "/" + archiveId + ".tgz";
    }

    /** Turns the names the store gives into {@code ''}: the step of SQLite's migration 7 (PostgreSQL's 5). */
    static final String SHORTEN_USUAL_NAMES =
            "UPDATE archives SET file_name = '' WHERE file_name = 'archives/' || target_id || '/' || id || '.tgz'";

    private static Archive archive(Rows.Row r) throws SQLException {
        long id = r.getLong("id");
        long targetId = r.getLong("target_id");
        String fileName = r.text("file_name");
        return new Archive(
                id,
                targetId,
                r.time("created_at"),
                r.getLong("size_bytes"),
                r.getInt("files"),
                DigestColumn.decode(r.bytes("sha256")),
                DigestColumn.decode(r.bytes("digest")),
                fileName.isEmpty() ? usualFileName(targetId, id) : fileName,
                r.timeOrNull("pruned_at"),
                r.flag("corrupt"),
                DigestColumn.decode(r.bytes("index_sha256")));
    }
}
