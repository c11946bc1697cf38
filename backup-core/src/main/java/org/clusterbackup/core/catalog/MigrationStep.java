package org.clusterbackup.core.catalog;

import java.sql.Connection;
import java.sql.SQLException;

/**
 * What a migration does in Java after its SQL, in the same transaction: rows rewritten into a form SQL
 * cannot compute (execution ranges' encoded runs). Keyed by the version it belongs to.
 */
@FunctionalInterface
interface MigrationStep {
    void apply(Connection db) throws SQLException;
}
