package org.clusterbackup.core.catalog;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The step of SQLite's migration 7 (PostgreSQL's 5), after its SQL and in its transaction: the archives'
 * digests rewritten as {@link DigestColumn} holds them ({@link DigestConversion}), and every existing range
 * given its span level, which the new index orders it by ({@link RangeWindows}).
 */
final class CompactCatalog {
    private CompactCatalog() {}

    static void convert(Connection db) throws SQLException {
        DigestConversion.convert(db);
        try (PreparedStatement read = db.prepareStatement("SELECT first_id, last_id FROM execution_ranges");
                PreparedStatement write =
                        db.prepareStatement("UPDATE execution_ranges SET span_level = ? WHERE first_id = ?")) {
            read.setFetchSize(1000);
            try (ResultSet rs = read.executeQuery()) {
                int pending = 0;
                while (rs.next()) {
                    long first = rs.getLong("first_id");
                    write.setInt(1, RangeWindows.level(first, rs.getLong("last_id")));
                    write.setLong(2, first);
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
