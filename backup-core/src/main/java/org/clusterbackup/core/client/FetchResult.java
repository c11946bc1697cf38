package org.clusterbackup.core.client;

/** An archive received whole and checked: its size and sha256 are the catalog's. */
public record FetchResult(long id, long sizeBytes, String sha256) {}
