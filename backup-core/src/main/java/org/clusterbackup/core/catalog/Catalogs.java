package org.clusterbackup.core.catalog;

/**
 * A server's two stores, opened together from one {@link CatalogLocation}: the catalog of targets, runs
 * and archives, and the security store of pins, tokens and the audit trail. Closing closes both.
 */
public record Catalogs(Catalog catalog, SecurityCatalog security) implements AutoCloseable {
    public Catalogs {
        java.util.Objects.requireNonNull(catalog, "catalog");
        java.util.Objects.requireNonNull(security, "security");
    }

    @Override
    public void close() {
        try {
            security.close();
        } finally {
            catalog.close();
        }
    }
}
