package org.clusterbackup.core.catalog;

import java.util.Objects;
import java.util.Optional;

/**
 * A server's stores, opened together from one {@link CatalogLocation}: the catalog of targets, runs and
 * archives, the security store of pins, tokens and the audit trail, and — on a catalog several servers
 * share — the claims that decide which server runs which target. Closing closes them.
 */
public final class Catalogs implements AutoCloseable {
    private final Catalog catalog;
    private final SecurityCatalog security;
    private final TargetClaims claims;

    /** One server's own stores: it runs every target. */
    public Catalogs(Catalog catalog, SecurityCatalog security) {
        this(catalog, security, null);
    }

    Catalogs(Catalog catalog, SecurityCatalog security, TargetClaims claims) {
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.security = Objects.requireNonNull(security, "security");
        this.claims = claims;
    }

    public Catalog catalog() {
        return catalog;
    }

    public SecurityCatalog security() {
        return security;
    }

    /** The claims of a shared catalog; empty for one server's own (SQLite), which runs every target. */
    public Optional<TargetClaims> claims() {
        return Optional.ofNullable(claims);
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
