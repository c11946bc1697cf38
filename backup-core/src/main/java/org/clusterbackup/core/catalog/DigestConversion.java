package org.clusterbackup.core.catalog;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The step of SQLite's migration 7 (PostgreSQL's 5): every digest of {@code archives} rewritten in the form of
 * {@link DigestColumn}, in the migration's transaction. It reads each value as the bytes of its text (SQLite's
 * TEXT, or PostgreSQL's column after the migration's SQL turned it into {@code BYTEA} of the text's UTF-8).
 */
final class DigestConversion {
    private static final String[] COLUMNS = {"sha256", "digest", "index_sha256"};

    private DigestConversion() {}

    static void convert(Connection db) throws SQLException {
        try (PreparedStatement read = db.prepareStatement("SELECT id, sha256, digest, index_sha256 FROM archives");
                PreparedStatement write = db.prepareStatement(
                        "UPDATE archives SET sha256 = ?, digest = ?, index_sha256 = ? WHERE id = ?")) {
            read.setFetchSize(1000); // PostgreSQL streams inside the migration's transaction rather than loading all
            try (ResultSet rs = read.executeQuery()) {
                int pending = 0;
                while (rs.next()) {
                    for (int i = 0; i < COLUMNS.length; i++) {
                        byte[] text = rs.getBytes(COLUMNS[i]);
                        write.setBytes(
                                i + 1,
                                text == null ? null : DigestColumn.encode(new String(text, StandardCharsets.UTF_8)));
                    }
                    write.setLong(4, rs.getLong("id"));
                    write.addBatch();
                    if (++pending == 1000) {
                        write.executeBatch();
                        pending = 0;
                    }
                }
                write.executeBatch();
            }
        }
    }
}
