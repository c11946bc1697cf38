package org.clusterbackup.core.server;

import java.sql.SQLException;

/**
 * Words for a failure of the server's own storage (catalog or archive files). A full disk is the common
 * case and reads "disk full", whether SQLite said {@code SQLITE_FULL} or the file system {@code ENOSPC}.
 */
final class StorageFault {
    /** SQLite's primary result code for "database or disk is full". */
    private static final int SQLITE_FULL = 13;

    private StorageFault() {}

    static String describe(Throwable e) {
        String first = firstLine(e.getMessage());
        return isDiskFull(e) ? "disk full (" + first + ")" : first;
    }

    static boolean isDiskFull(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException sql && (sql.getErrorCode() & 0xFF) == SQLITE_FULL) {
                return true;
            }
            String m = t.getMessage();
            if (m != null && (m.contains("No space left on device") || m.contains("database or disk is full"))) {
                return true;
            }
        }
        return false;
    }

    private static String firstLine(String s) {
        if (s == null || s.isBlank()) {
            return "unknown storage error";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
