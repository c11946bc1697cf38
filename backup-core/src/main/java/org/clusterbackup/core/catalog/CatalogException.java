package org.clusterbackup.core.catalog;

/** The catalog database failed (I/O, corruption, a schema from a newer version). */
public final class CatalogException extends RuntimeException {
    public CatalogException(String message, Throwable cause) {
        super(message, cause);
    }

    public CatalogException(String message) {
        super(message);
    }
}
