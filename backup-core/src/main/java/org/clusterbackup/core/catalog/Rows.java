package org.clusterbackup.core.catalog;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Maps result rows to records by column name, not position: a query may list its columns in any order,
 * and a new column is one line in its mapper. Times are stored as epoch milliseconds, flags as 0 or 1.
 * Statements with parameters bound in order are one call each ({@link #all}, {@link #first}, {@link #update}).
 */
final class Rows {
    /** Makes one record from the current row. */
    @FunctionalInterface
    interface Mapper<T> {
        T map(Row row) throws SQLException;
    }

    private Rows() {}

    /** Runs {@code sql} with {@code params} bound in order, and maps every row. */
    static <T> List<T> all(Connection db, String sql, Mapper<T> mapper, Object... params) throws SQLException {
        try (PreparedStatement ps = prepare(db, sql, params)) {
            return all(ps, mapper);
        }
    }

    /** Runs {@code sql} with {@code params} bound in order, and maps its first row, if any. */
    static <T> Optional<T> first(Connection db, String sql, Mapper<T> mapper, Object... params) throws SQLException {
        try (PreparedStatement ps = prepare(db, sql, params)) {
            return first(ps, mapper);
        }
    }

    /** Runs an UPDATE (or INSERT, DELETE) with {@code params} bound in order; returns how many rows it changed. */
    static int update(Connection db, String sql, Object... params) throws SQLException {
        try (PreparedStatement ps = prepare(db, sql, params)) {
            return ps.executeUpdate();
        }
    }

    private static PreparedStatement prepare(Connection db, String sql, Object... params) throws SQLException {
        PreparedStatement ps = db.prepareStatement(sql);
        try {
            for (int i = 0; i < params.length; i++) {
                ps.setObject(i + 1, params[i]);
            }
            return ps;
        } catch (SQLException e) {
            ps.close();
            throw e;
        }
    }

    /** Runs the query and maps every row. */
    static <T> List<T> all(PreparedStatement ps, Mapper<T> mapper) throws SQLException {
        List<T> out = new ArrayList<>();
        try (ResultSet rs = ps.executeQuery()) {
            Row row = new Row(rs);
            while (rs.next()) {
                out.add(mapper.map(row));
            }
        }
        return out;
    }

    /** Runs the query and maps its first row, if any. */
    static <T> Optional<T> first(PreparedStatement ps, Mapper<T> mapper) throws SQLException {
        try (ResultSet rs = ps.executeQuery()) {
            return rs.next() ? Optional.of(mapper.map(new Row(rs))) : Optional.empty();
        }
    }

    /** Runs an INSERT prepared with {@code RETURN_GENERATED_KEYS} and returns the new row's id. */
    static long insert(PreparedStatement ps) throws SQLException {
        ps.executeUpdate();
        try (ResultSet keys = ps.getGeneratedKeys()) {
            if (!keys.next()) {
                throw new SQLException("the insert returned no id");
            }
            return keys.getLong(1);
        }
    }

    /** The current row of a result set, read by column name. */
    static final class Row {
        private final ResultSet rs;

        Row(ResultSet rs) {
            this.rs = rs;
        }

        long getLong(String column) throws SQLException {
            return rs.getLong(column);
        }

        int getInt(String column) throws SQLException {
            return rs.getInt(column);
        }

        String text(String column) throws SQLException {
            return rs.getString(column);
        }

        /** A boolean column (PostgreSQL's own type, e.g. an {@code EXISTS}). */
        boolean bool(String column) throws SQLException {
            return rs.getBoolean(column);
        }

        /** A binary column ({@code BLOB} on SQLite, {@code BYTEA} on PostgreSQL). */
        byte[] bytes(String column) throws SQLException {
            return rs.getBytes(column);
        }

        boolean flag(String column) throws SQLException {
            return rs.getInt(column) == 1;
        }

        /** A time column that is never NULL. */
        Instant time(String column) throws SQLException {
            return Instant.ofEpochMilli(rs.getLong(column));
        }

        /** A time column that may be NULL (not yet finished, never pruned). */
        Instant timeOrNull(String column) throws SQLException {
            long v = rs.getLong(column);
            return rs.wasNull() ? null : Instant.ofEpochMilli(v);
        }

        Long longOrNull(String column) throws SQLException {
            long v = rs.getLong(column);
            return rs.wasNull() ? null : v;
        }

        /** A column holding an enum constant's name, or NULL. */
        <E extends Enum<E>> E enumOrNull(String column, Class<E> type) throws SQLException {
            String v = rs.getString(column);
            if (v == null) {
                return null;
            }
            try {
                return Enum.valueOf(type, v);
            } catch (IllegalArgumentException e) {
                throw new SQLException("column " + column + " holds " + v + ", which is no " + type.getSimpleName(), e);
            }
        }

        Integer intOrNull(String column) throws SQLException {
            int v = rs.getInt(column);
            return rs.wasNull() ? null : v;
        }
    }
}
