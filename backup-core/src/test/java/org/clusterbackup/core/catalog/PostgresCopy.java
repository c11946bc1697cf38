package org.clusterbackup.core.catalog;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * Part of {@link ExecutionLogScaleBench} ({@code -Dbench.postgres=true}): the synthetic SQLite catalog copied
 * row for row into a fresh PostgreSQL catalog (the test server), and the size of each table with its indexes
 * there after {@code VACUUM}, per execution.
 */
final class PostgresCopy {
    private static final List<String> TABLES =
            List.of("targets", "archives", "executions", "execution_ranges", "open_ranges");

    private PostgresCopy() {}

    static void printSizes(Path sqlite, long executions) throws SQLException {
        PostgresLocation location = TestPostgres.freshDatabase();
        TestPostgres.catalog(location, Clock.systemUTC()).close();
        try (Connection from = DriverManager.getConnection("jdbc:sqlite:" + sqlite);
                Connection to = TestPostgres.connect(location)) {
            to.setAutoCommit(false);
            for (String table : TABLES) {
                copy(from, to, table);
            }
            to.commit();
            to.setAutoCommit(true);
            try (Statement s = to.createStatement()) {
                s.execute("VACUUM ANALYZE");
            }
            long total = 0;
            for (String table : TABLES) {
                long bytes = Rows.first(
                                to, "SELECT pg_total_relation_size(?::regclass) AS n", r -> r.getLong("n"), table)
                        .orElseThrow();
                total += bytes;
                System.out.printf(
                        "  postgresql %-20s %,14d bytes with its indexes (%.3f B/execution)%n",
                        table, bytes, bytes / (double) executions);
            }
            System.out.printf(
                    "postgresql catalog (those tables, vacuumed): %,d bytes, %.2f B per execution%n",
                    total, total / (double) executions);
        }
    }

    private static void copy(Connection from, Connection to, String table) throws SQLException {
        try (Statement s = from.createStatement();
                ResultSet rs = s.executeQuery("SELECT * FROM " + table)) {
            ResultSetMetaData meta = rs.getMetaData();
            List<String> columns = new ArrayList<>();
            for (int i = 1; i <= meta.getColumnCount(); i++) {
                columns.add(meta.getColumnName(i));
            }
            String identity = table.endsWith("_ranges") ? "" : " OVERRIDING SYSTEM VALUE";
            String sql = "INSERT INTO " + table + " (" + String.join(", ", columns) + ")" + identity + " VALUES ("
                    + String.join(", ", columns.stream().map(c -> "?").toList()) + ")";
            try (PreparedStatement insert = to.prepareStatement(sql)) {
                int pending = 0;
                while (rs.next()) {
                    for (int i = 1; i <= columns.size(); i++) {
                        insert.setObject(i, rs.getObject(i));
                    }
                    insert.addBatch();
                    if (++pending == 5000) {
                        insert.executeBatch();
                        pending = 0;
                    }
                }
                insert.executeBatch();
            }
        }
    }
}
