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
    private final SetupLock setupLock;

    /** What a server sets up once for its whole cluster: the identity, the first admin token. */
    @FunctionalInterface
    public interface Setup<T> {
        T run() throws java.io.IOException;
    }

    /** Runs a {@link Setup} so that no other server of the cluster runs one at the same time. */
    @FunctionalInterface
    interface SetupLock {
        SetupLock NONE = Setup::run;

        <T> T locked(Setup<T> work) throws java.io.IOException;
    }

    /** One server's own stores: it runs every target. */
    public Catalogs(Catalog catalog, SecurityCatalog security) {
        this(catalog, security, null, SetupLock.NONE);
    }

    Catalogs(Catalog catalog, SecurityCatalog security, TargetClaims claims, SetupLock setupLock) {
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.security = Objects.requireNonNull(security, "security");
        this.claims = claims;
        this.setupLock = Objects.requireNonNull(setupLock, "setupLock");
    }

    /**
     * Runs {@code work} alone in the cluster: on a shared catalog, under the lock that migrations take, in one
     * transaction that the security store's calls join — so the first server to start creates what the
     * cluster shares and the others, waiting on the lock, find it made. A server alone on its catalog just
     * runs it (its data-dir lock keeps others out).
     */
    public <T> T setUpOnce(Setup<T> work) throws java.io.IOException {
        return setupLock.locked(work);
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
